from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import Role


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class StaffAccountForm(forms.Form):
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    display_name = forms.CharField(label=_("display name"), max_length=100)
    display_name_kana = forms.CharField(
        label=_("display name reading"), max_length=100, required=False
    )
    email = forms.EmailField(label=_("e-mail address"), required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.WORKER)
    send_link = forms.BooleanField(
        label=_("Send a link by e-mail instead of showing a password"),
        required=False,
        help_text=_("The colleague chooses their own password from the link (it works once)."),
    )


class InvitationForm(forms.Form):
    invited_as = forms.CharField(
        label=_("username or e-mail address"),
        max_length=254,
        help_text=_("Exactly as the person uses it to sign in, or their e-mail address."),
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.WORKER)


class OrganisationSecurityForm(forms.Form):
    second_factor_for_all = forms.BooleanField(
        label=_("second factor required for every member"),
        required=False,
        help_text=_("Admins and coordinators always need one."),
    )
    idle_timeout_minutes = forms.IntegerField(
        label=_("sign out after this many idle minutes"), min_value=5, max_value=240
    )
