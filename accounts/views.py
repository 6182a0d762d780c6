from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import ProfileForm
from accounts.identity import has_verified_address
from accounts.services import profile_update
from gds_portal.sections import my_gds as my_gds_sections


@login_required
def my_gds(request):
    """The member's dashboard: their profile plus a section from each app."""
    context = {
        "email_verified": has_verified_address(request.user, request.user.email),
        "sections": my_gds_sections.render(request),
    }
    return render(request, "accounts/my_gds.html", context)


@login_required
def profile_edit(request):
    # Always the signed-in member's own profile: there is no id in the URL to tamper with.
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, data={f: form.cleaned_data[f] for f in form.changed_data})
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:my_gds")
    return render(request, "accounts/profile_form.html", {"form": form})
