"""Template loaders: the app directories, with crispy's required-field asterisk silenced
and its form tags left to the server's checks.

crispy-bootstrap5 writes a required field's label as `Email<span class="asteriskField">*</span>`
in every field template (plain fields, inline radios and tick boxes, prepended and floating
fields), so a screen reader names the field "Email star" (issue 23, item 4). The asterisk
is for sighted readers; the control itself says it is required (`required`, which Django
adds to every required field). Rather than keep copies of crispy's templates that would
drift from the installed version, this loader reads crispy's own and adds
`aria-hidden="true"` to the asterisk: one rule for every form crispy renders (ours,
allauth's and the admin-free member pages), new ones included.

The same loader adds `novalidate` to the <form> tags crispy writes: the server checks every
field and answers with the error summary (focused, every error linked to its field), the
portal's one way of telling what is wrong. The browser's own bubbles named one field at a
time and faded, and the sign-in, sign-up and case forms never reached the summary when
sent empty (an outside probe of issue 23). allauth's forms get the attribute from
templates/allauth/elements/form.html; hand-written forms carry it themselves.
"""

from django.template.loaders import app_directories

ASTERISK = '<span class="asteriskField">*</span>'
SILENT_ASTERISK = '<span class="asteriskField" aria-hidden="true">*</span>'
FORM_TAG = 'method="{{ form_method }}"'
SERVER_CHECKED_FORM_TAG = 'method="{{ form_method }}" novalidate'


class Loader(app_directories.Loader):
    def get_contents(self, origin) -> str:
        contents = super().get_contents(origin)
        if "crispy" in origin.name:
            contents = contents.replace(ASTERISK, SILENT_ASTERISK)
            contents = contents.replace(FORM_TAG, SERVER_CHECKED_FORM_TAG)
        return contents
