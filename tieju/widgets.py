from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """Django's Select for flat choices, its markup written in Python.

    The dashboard's filter form offers some 150 options on every request; Select builds a context
    dict per option and renders select_option.html once per option, which cost more than the whole
    table body (format_html per option still cost a tenth of the page). The markup is Select's apart
    from whitespace and attribute order (tests/test_widgets.py compares).
    """

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        values = set(self.format_value(value))
        options, found = [], False
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an optgroup: leave it to Select
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in values  # as Select: the first match only
            found |= selected
            options.append(f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                           f'{conditional_escape(label)}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),
        )
