"""Form rendering: one accessible pattern for every field (label, hint, required marker,
error text tied with aria-describedby) and an error summary at the top."""

from django.forms.renderers import TemplatesSetting


class GuichetFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
