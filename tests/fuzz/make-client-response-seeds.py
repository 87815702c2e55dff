#!/usr/bin/env python3
# Writes the seeds of fuzz-client-response into corpus/client-response/
# (run from tests/fuzz/). Each seed is the control byte that
# fuzz-client-response.c describes, then a raw HTTP answer.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
out = 'corpus/client-response'
def http(status, body, ctype='application/json', extra='', framing='length'):
    if isinstance(body, str): body = body.encode()
    h = f'HTTP/1.1 {status} X\r\n'
    if ctype: h += f'Content-Type: {ctype}\r\n'
    h += extra
    if framing == 'length':
        h += f'Content-Length: {len(body)}\r\n'
    h += 'Connection: close\r\n\r\n'
    return h.encode() + body
def seed(name, op, data, gz=False, cap=0):
    ctl = op | (0x08 if gz else 0) | (cap << 4)
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes([ctl]) + data)
ID = '"id":"0b6e1d36-7c2e-4a3e-9b0e-1c7c6a1b2f01"'
vm = '{"name":"web-1",%s,"status":"up","memory":"4294967296","cluster":{"id":"c1","href":"/ovirt-engine/api/clusters/c1"},"memory_policy":{"ballooning":"true","guaranteed":"1073741824"},"custom_compatibility_version":{"major":"4","minor":"2"},"next_run_configuration_exists":"false"}' % ID
seed('vm-list.http', 0, http(200, '{"vm":[%s,{"id":"2","name":"db","memory":2147483648,"memory_policy":{"ballooning":false}}]}' % vm))
seed('vm-list-empty.http', 0, http(200, '{}'))
seed('vm-single-strings.http', 1, http(200, vm))
seed('vm-single-native.http', 6, http(200, '{"id":"x","name":"n","memory":1073741824,"memory_policy":{"ballooning":true},"status":"down","next_run_configuration_exists":true}'))
seed('vm-huge-numbers.http', 1, http(200, '{"id":"x","memory":"18446744073709551616","memory_policy":{"ballooning":"1","guaranteed":-1},"custom_compatibility_version":{"major":"99999999999999999999","minor":1e400}}'))
seed('vm-number-shapes.http', 5, http(200, '{"id":"x","memory":1.5e10,"custom_compatibility_version":{"major":-0,"minor":"007"},"memory_policy":{"ballooning":"TRUE"}}'))
seed('vm-booleans-as-strings.http', 1, http(200, '{"id":"x","memory_policy":{"ballooning":"false"},"next_run_configuration_exists":"yes","stateless":"0"}'))
seed('vm-wrong-shapes.http', 0, http(200, '{"vm":[1,"x",null,[],{"id":null},{"id":{}},{"id":"ok","memory_policy":"true","cluster":"c"}]}'))
seed('vm-not-list.http', 0, http(200, '{"vm":{"id":"x"}}'))
seed('duplicate-keys.http', 1, http(200, '{"id":"a","id":"b","name":"x","name":null,"memory_policy":{"ballooning":"true","ballooning":"false"}}'))
seed('string-escapes.http', 1, http(200, r'{"id":"\u0000id","name":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00","description":"\ud800 lone"}'))
seed('invalid-utf8.http', 1, http(200, b'{"id":"\xff\xfe","name":"\xc0\x80 overlong \xed\xa0\x80 surrogate \xf4\x90\x80\x80 too high","status":"\x80"}'))
seed('cluster-list.http', 2, http(200, '{"cluster":[{"id":"c1","name":"Default","version":{"major":"4","minor":"7"},"cpu":{"architecture":"x86_64"},"ballooning_enabled":"true"},{"id":"c2","version":{"major":3,"minor":0}}]}'))
seed('template-list.http', 3, http(200, '{"template":[{"id":"00000000-0000-0000-0000-000000000000","name":"Blank","memory_policy":{"ballooning":"true"},"cluster":{"id":"c1","name":"Default"}},{"id":"t2","description":""}]}'))
seed('action-failed.http', 4, http(400, '{"action":{"status":"failed"},"status":"failed","fault":{"reason":"Operation Failed","detail":"[Cannot run VM. VM is running.]"}}'))
seed('action-ok.http', 4, http(200, '{"status":"complete","vm":%s}' % vm))
seed('fault-500.http', 1, http(500, '{"reason":"Operation Failed","detail":"[Internal Engine Error]"}'))
seed('fault-409-reason-only.http', 5, http(409, '{"reason":"Conflict"}'))
seed('fault-404-detail-only.http', 1, http(404, '{"detail":"Entity not found: 123"}'))
seed('fault-deep.http', 1, http(500, '[' * 70 + ']' * 70))
seed('sso-token.http', 7, http(200, '{"access_token":"abc.def","token_type":"bearer","expires_in":"1800"}'))
seed('sso-error-app-api.http', 7, http(200, '{"error_code":"access_denied","error":"Cannot authenticate user \'admin@internal\': The username or password is incorrect.."}'))
seed('sso-error-oauth.http', 7, http(200, '{"error":"invalid_grant","error_description":"The provided authorization grant for the username and password has expired."}'))
seed('sso-error-400.http', 7, http(400, '{"error":"invalid_request","error_description":"no scope"}'))
seed('sso-empty-token.http', 7, http(200, '{"access_token":"","error":null}'))
seed('deep-63.http', 1, http(200, '{"id":"x","a":' + '[' * 62 + ']' * 62 + '}'))
seed('deep-65.http', 1, http(200, '{"id":"x","a":' + '[' * 64 + ']' * 64 + '}'))
seed('deep-10000.http', 0, http(200, '{"vm":' + '[{"a":' * 5000 + '1' + '}]' * 5000 + '}'))
seed('deep-in-strings.http', 1, http(200, '{"id":"' + '[{' * 200 + '\\"' + '","b":[]}'))
seed('chunked.http', 0, http(200, b'', extra='Transfer-Encoding: chunked\r\n', framing='none') + b'5;ext=1\r\n{"vm"\r\n3\r\n:[]\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n')
seed('chunked-bad-size.http', 1, http(200, b'', extra='Transfer-Encoding: chunked\r\n', framing='none') + b'fffffffffffffffff\r\n{}\r\n0\r\n\r\n')
seed('close-delimited.http', 1, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n' + vm.encode())
seed('gzip.http', 0, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n' + ('{"vm":[%s]}' % vm).encode(), gz=True)
seed('gzip-over-cap.http', 0, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n{"vm":[' + b' ' * 8000 + b']}', gz=True, cap=1)
seed('deflate-raw-garbage.http', 1, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: deflate\r\nConnection: close\r\n\r\n\x78\x9c\xab\xae\x05\x00')
seed('over-cap-length.http', 0, http(200, '{"vm":[' + ' ' * 5000 + ']}'), cap=1)
seed('over-cap-tiny.http', 1, http(200, vm), cap=2)
seed('html-200.http', 1, http(200, '<html><body>Login</body></html>', ctype='text/html'))
seed('html-503.http', 1, http(503, '<html>down</html>', ctype='text/html; charset=UTF-8'))
seed('untyped-array.http', 0, http(200, ' \n\t[{"id":"x"}]', ctype=None))
seed('json-suffix-type.http', 1, http(200, '{"id":"x"}', ctype='application/vnd.ovirt+json; charset=utf-16'))
seed('utf16-bom.http', 1, http(200, '\ufeff{"id":"x"}'.encode('utf-16-le'), ctype='application/json; charset=utf-16'))
seed('no-content-204.http', 5, b'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')
seed('unauthorized-401.http', 1, http(401, '<html>Unauthorized</html>', ctype='text/html', extra='WWW-Authenticate: Bearer realm="x"\r\n'))
seed('redirect-302.http', 1, http(302, '', extra='Location: http://127.0.0.1:9/ovirt-engine/api/vms/123\r\n'))
seed('length-short.http', 1, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":"x"}')
seed('not-http.http', 1, b'SSH-2.0-OpenSSH_9.2\r\n')
seed('continue-then-200.http', 5, b'HTTP/1.1 100 Continue\r\n\r\n' + http(200, '{"id":"x"}'))
seed('capabilities-header.http', 1, http(200, '{"id":"x"}', extra='X-Engine-Capabilities: run-once-balloon-override, \x01\r\n'))
seed('truncated-json.http', 1, http(200, '{"id":"x","memory_policy":{"ballooning":"tr'))
seed('trailing-garbage.http', 1, http(200, '{"id":"x"} {"id":"y"}'))
