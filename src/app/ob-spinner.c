/* ob-spinner.c: a busy indicator drawn, not an icon
 *
 * GtkSpinner shows the theme's process-working-symbolic, which Adwaita
 * ships only as SVG: the first spinner shown loads librsvg (6 MiB
 * resident, and some ms in the first frame when the app starts by
 * connecting). This one draws a turning arc in the current text color,
 * like the spinner libadwaita later drew itself. Same "spinning"
 * property, same accessible role.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ob-spinner.h"

#define OB_SPINNER_SIZE 16
/* One turn per second, as the theme's spinner animation. */
#define OB_SPINNER_PERIOD_US G_USEC_PER_SEC

struct _ObSpinner
{
  GtkWidget parent_instance;

  gboolean spinning;
  guint tick_id;
  double angle;   /* radians, from the frame clock */
};

G_DEFINE_FINAL_TYPE (ObSpinner, ob_spinner, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
ob_spinner_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  ObSpinner *self = OB_SPINNER (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  self->angle = 2 * G_PI * (double) (now % OB_SPINNER_PERIOD_US) / OB_SPINNER_PERIOD_US;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* The animation runs only while spinning and on screen. */
static void
ob_spinner_update_tick (ObSpinner *self)
{
  gboolean want = self->spinning && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), ob_spinner_tick, NULL, NULL);
  else if (!want && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
ob_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ob_spinner_parent_class)->map (widget);
  ob_spinner_update_tick (OB_SPINNER (widget));
}

static void
ob_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ob_spinner_parent_class)->unmap (widget);
  ob_spinner_update_tick (OB_SPINNER (widget));
}

static void
ob_spinner_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = *natural = OB_SPINNER_SIZE;
}

static void
ob_spinner_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  ObSpinner *self = OB_SPINNER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double size = MIN (width, height);
  double line = MAX (1.5, size / 8);
  double radius = (size - line) / 2;
  GdkRGBA color;
  cairo_t *cr;

  if (!self->spinning || size <= line)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* A faint full ring, and three quarters of it turning over it. */
  color.alpha *= 0.25;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  color.alpha *= 4;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, self->angle, self->angle + 1.5 * G_PI);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
ob_spinner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObSpinner *self = OB_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_spinner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ObSpinner *self = OB_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      ob_spinner_set_spinning (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_spinner_class_init (ObSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ob_spinner_get_property;
  object_class->set_property = ob_spinner_set_property;
  widget_class->map = ob_spinner_map;
  widget_class->unmap = ob_spinner_unmap;
  widget_class->measure = ob_spinner_measure;
  widget_class->snapshot = ob_spinner_snapshot;

  properties[PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "ob-spinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
ob_spinner_init (ObSpinner *self)
{
}

GtkWidget *
ob_spinner_new (void)
{
  return g_object_new (OB_TYPE_SPINNER, NULL);
}

gboolean
ob_spinner_get_spinning (ObSpinner *self)
{
  g_return_val_if_fail (OB_IS_SPINNER (self), FALSE);
  return self->spinning;
}

void
ob_spinner_set_spinning (ObSpinner *self,
                         gboolean   spinning)
{
  g_return_if_fail (OB_IS_SPINNER (self));
  spinning = !!spinning;
  if (self->spinning == spinning)
    return;
  self->spinning = spinning;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, spinning, -1);
  ob_spinner_update_tick (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}
