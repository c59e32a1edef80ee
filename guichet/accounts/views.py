from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import public, roles
from guichet.audit.services import audit

from .forms import LoginForm
from .models import Role


@public
class GuichetLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit(self.request.user, "account.login", self.request.user, request=self.request)  # type: ignore[arg-type]
        return response


@roles(*Role)
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """« Quitter »: a confirmation page, then the session ends (POST only)."""
    if request.method == "POST":
        user = request.user
        audit(user, "account.logout", user, request=request)  # type: ignore[arg-type]
        logout(request)
        messages.success(request, _("Vous êtes maintenant déconnecté."))
        return redirect("core:home")
    return render(request, "accounts/logout_confirm.html")
