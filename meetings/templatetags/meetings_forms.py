"""Bootstrap rendering of one form control, with errors shown only when the page wants them."""

from django import template

register = template.Library()

CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "radioselect": "form-check-input",
}


@register.simple_tag
def control(field, show_errors=True):
    css = CLASSES.get(field.widget_type, "form-control")
    attrs = {"class": css}
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if show_errors and field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
