/* test-balloon-policy.c: the one cluster-level rule and version parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-balloon-policy.h"
#include "ob-error.h"
#include "ob-host-payload.h"

#include <string.h>

static void
test_parse (void)
{
  ObCompatVersion v;

  g_assert_true (ob_compat_version_parse ("3.1", &v));
  g_assert_cmpuint (v.major, ==, 3);
  g_assert_cmpuint (v.minor, ==, 1);
  g_assert_true (ob_compat_version_parse ("3.3.0.0", &v));
  g_assert_cmpuint (v.minor, ==, 3);
  g_assert_true (ob_compat_version_parse ("  4.10\n", &v));
  g_assert_cmpuint (v.minor, ==, 10);

  g_assert_false (ob_compat_version_parse (NULL, &v));
  g_assert_false (ob_compat_version_parse ("", &v));
  g_assert_false (ob_compat_version_parse ("4", &v));
  g_assert_false (ob_compat_version_parse ("4.", &v));
  g_assert_false (ob_compat_version_parse ("4.x", &v));
  g_assert_false (ob_compat_version_parse ("-4.2", &v));
  g_assert_false (ob_compat_version_parse ("4.2 beta", &v));
  g_assert_false (ob_compat_version_parse ("99999999999.1", &v));
}

static void
test_compare_numeric (void)
{
  ObCompatVersion a, b;

  g_assert_true (ob_compat_version_parse ("3.10", &a));
  g_assert_true (ob_compat_version_parse ("3.9", &b));
  g_assert_cmpint (ob_compat_version_compare (&a, &b), >, 0);
  g_assert_cmpint (ob_compat_version_compare (&b, &a), <, 0);
  g_assert_cmpint (ob_compat_version_compare (&a, &a), ==, 0);
}

static void
assert_verdict (const char       *level,
                const char       *arch,
                ObBalloonVerdict  expected)
{
  ObLevel v = ob_level_parse (level);

  g_assert_true (v.known);
  g_assert_cmpint (ob_balloon_policy_verdict (v, arch), ==, expected);
}

static void
test_verdicts (void)
{
  assert_verdict ("3.0", "x86_64", OB_BALLOON_LEVEL_TOO_LOW);
  assert_verdict ("2.9", NULL, OB_BALLOON_LEVEL_TOO_LOW);
  assert_verdict ("3.1", "x86_64", OB_BALLOON_ALLOWED);
  assert_verdict ("3.10", NULL, OB_BALLOON_ALLOWED);
  assert_verdict ("4.7", "s390x", OB_BALLOON_ALLOWED);
  assert_verdict ("3.4", "ppc64", OB_BALLOON_ARCH_UNSUPPORTED);
  assert_verdict ("3.4", "ppc64le", OB_BALLOON_ARCH_UNSUPPORTED);
  assert_verdict ("3.5", "ppc64", OB_BALLOON_ALLOWED);
  assert_verdict ("3.0", "ppc64", OB_BALLOON_LEVEL_TOO_LOW);
  g_assert_cmpint (ob_balloon_policy_verdict (OB_LEVEL_UNKNOWN, "x86_64"), ==, OB_BALLOON_LEVEL_UNKNOWN);

  g_assert_true (ob_balloon_policy_allows (OB_BALLOON_ALLOWED));
  g_assert_true (ob_balloon_policy_allows (OB_BALLOON_LEVEL_UNKNOWN));
  g_assert_false (ob_balloon_policy_allows (OB_BALLOON_LEVEL_TOO_LOW));
  g_assert_false (ob_balloon_policy_allows (OB_BALLOON_ARCH_UNSUPPORTED));
}

static void
test_check_enable_messages (void)
{
  g_autoptr(GError) error = NULL;
  ObLevel v = ob_level_parse ("3.0");

  g_assert_false (ob_balloon_policy_check_enable (v, NULL, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "3.0"));
  g_assert_nonnull (strstr (error->message, "3.1"));
  g_assert_cmpint (ob_error_exit_code (error), ==, OB_EXIT_REFUSED);
  g_clear_error (&error);

  v = ob_level_parse ("3.4");
  g_assert_false (ob_balloon_policy_check_enable (v, "ppc64", &error));
  g_assert_nonnull (strstr (error->message, "ppc64"));
  g_assert_nonnull (strstr (error->message, "3.5"));
  g_clear_error (&error);

  /* Unknown level: allowed (the caller warns). */
  g_assert_true (ob_balloon_policy_check_enable (OB_LEVEL_UNKNOWN, NULL, &error));
  g_assert_no_error (error);
}

/* The minimum levels in messages come from the policy's constants. */
static void
test_messages_name_minimums (void)
{
  ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
  ObCompatVersion min_ppc64 = OB_BALLOON_MIN_LEVEL_PPC64;
  g_autofree char *min_text = ob_compat_version_to_string (&min_level);
  g_autofree char *ppc64_text = ob_compat_version_to_string (&min_ppc64);
  g_autofree char *unknown = ob_balloon_policy_describe (OB_BALLOON_LEVEL_UNKNOWN, OB_LEVEL_UNKNOWN, NULL);
  g_autofree char *low = ob_balloon_policy_describe (OB_BALLOON_LEVEL_TOO_LOW, OB_LEVEL_INIT (2, 2), NULL);
  g_autofree char *arch = ob_balloon_policy_describe (OB_BALLOON_ARCH_UNSUPPORTED, OB_LEVEL_INIT (3, 2), "ppc64");
  g_autofree char *unknown_text = ob_level_to_string (OB_LEVEL_UNKNOWN);

  g_assert_nonnull (strstr (unknown, min_text));
  g_assert_nonnull (strstr (low, min_text));
  g_assert_nonnull (strstr (low, "2.2"));
  g_assert_nonnull (strstr (arch, ppc64_text));
  g_assert_nonnull (strstr (arch, "3.2"));
  g_assert_null (ob_balloon_policy_describe (OB_BALLOON_ALLOWED, OB_LEVEL_INIT (4, 7), NULL));
  g_assert_null (unknown_text);
  g_assert_false (ob_level_parse ("four").known);
  g_assert_false (ob_level_from_version (NULL).known);
}

static void
test_host_payload (void)
{
  g_autofree char *on = ob_host_payload_vdsm_balloon (TRUE);
  g_autofree char *off = ob_host_payload_vdsm_balloon (FALSE);
  g_autofree char *xml_on = ob_host_payload_libvirt_memballoon (TRUE, "abc");
  g_autofree char *xml_off = ob_host_payload_libvirt_memballoon (FALSE, "abc");

  g_assert_cmpstr (on, ==, "{'type': 'balloon', 'device': 'memballoon', 'specParams': {'model': 'virtio'}}");
  g_assert_cmpstr (off, ==, "{'type': 'balloon', 'device': 'memballoon', 'specParams': {'model': 'none'}}");
  g_assert_nonnull (strstr (xml_on, "<memballoon model='virtio'>"));
  g_assert_nonnull (strstr (xml_on, "<alias name='ua-abc'/>"));
  g_assert_cmpstr (xml_off, ==, "<memballoon model='none'/>");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/policy/version/parse", test_parse);
  g_test_add_func ("/policy/version/compare-numeric", test_compare_numeric);
  g_test_add_func ("/policy/verdicts", test_verdicts);
  g_test_add_func ("/policy/check-enable-messages", test_check_enable_messages);
  g_test_add_func ("/policy/messages-name-minimums", test_messages_name_minimums);
  g_test_add_func ("/host-payload/vdsm-and-libvirt", test_host_payload);
  return g_test_run ();
}
