from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from guichet.core.access import public, public_debug_only

from . import help, mail

logger = logging.getLogger(__name__)


@public
def home(request: HttpRequest) -> HttpResponse:
    notices = [found for notice in HOME_NOTICES if (found := notice(request)) is not None]
    return render(request, "core/home.html", {"notices": notices})


# What a higher app shows first on the home page (the intake's opening day): each returns
# {"template": …, …} or None. Registered in the app's ready().
HOME_NOTICES: list[Callable[[HttpRequest], dict[str, Any] | None]] = []


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "core/security.html")


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


@public
def technical_requirements(request: HttpRequest) -> HttpResponse:
    """« Spécifications techniques d'utilisation » (seed 000 §2.4), with the seed's checklist
    of what to gather before starting (« Préparatifs »)."""
    return render(request, "core/technical_requirements.html")


@public
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help/index.html", {"topics": help.TOPICS})


@public
def help_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in help.TOPICS:
        raise Http404
    return render(
        request,
        f"core/help/{topic}.html",
        {"topic": topic, "title": help.TOPICS[topic], "topics": help.TOPICS},
    )


@public
@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness only: the process answers (no database, no Redis). The smallest view there is:
    the waiting room's benchmark measures this stack's ceiling with it."""
    return HttpResponse("ok", content_type="text/plain")


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and dependencies, for the load balancer and monitoring. No details leak."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("health: database unreachable")
        checks["database"] = "error"
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
            checks["redis"] = "ok"
        except Exception:
            logger.warning("health: redis unreachable")
            checks["redis"] = "degraded"  # the cache and the throttles use the database
    if checks["database"] != "ok":
        status = "error"
    elif any(v != "ok" for v in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    # Degraded still serves every page: the load balancer keeps sending traffic (200).
    return JsonResponse({"status": status, **checks}, status=503 if status == "error" else 200)


# --- Development tools (DEBUG only) ---------------------------------------------------------


@public_debug_only
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dev_mailbox.html", {"mails": mail.stored_mails()})


@public_debug_only
def dev_mail(request: HttpRequest, name: str) -> HttpResponse:
    message = mail.stored_mail(name)
    if message is None:
        raise Http404
    return render(request, "core/dev_mail.html", {"mail": message})


@public_debug_only
def dev_mail_raw(request: HttpRequest, name: str) -> HttpResponse:
    message = mail.stored_mail(name)
    if message is None:
        raise Http404
    response = HttpResponse(message.message.as_bytes(), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ComponentsDemoForm(forms.Form):
    """Shows every field state of the form pattern on the components page."""

    user_code = forms.CharField(
        label=_("Code d'utilisateur"),
        min_length=8,
        max_length=16,
        help_text=_("De 8 à 16 lettres et chiffres, sans accents ni caractères spéciaux."),
    )
    email = forms.EmailField(label=_("Adresse courriel"))
    phone = forms.CharField(
        label=_("Téléphone (travail)"),
        required=False,
        help_text=_("10 chiffres, ex. : 514 999-9999"),
    )
    french_level = forms.ChoiceField(
        label=_("Niveau de connaissance du français"),
        choices=[
            ("", _("Sélectionnez")),
            ("none", _("Aucune connaissance")),
            ("basic", _("Débutant")),
            ("advanced", _("Avancé")),
        ],
    )
    informed_by = forms.ChoiceField(
        label=_("Comment avez-vous été informé du service?"),
        choices=[("web", _("Site Web")), ("partner", _("Organisme partenaire"))],
        widget=forms.RadioSelect,
    )
    accept = forms.BooleanField(label=_("J'accepte"))


@public_debug_only
def components(request: HttpRequest) -> HttpResponse:
    # Shown in error from the start; submitting it shows the same pattern with what was typed.
    data = request.POST or {"user_code": "abc", "email": "pas-une-adresse", "phone": "514 999-9999"}
    form = ComponentsDemoForm(data)
    if form.is_valid():
        messages.success(request, _("Le formulaire est valide."))
    steps = [
        _("Statut"),
        _("Identité"),
        _("Coordonnées"),
        _("Information complémentaire"),
        _("Déclaration"),
        _("Vérification"),
    ]
    return render(request, "core/components.html", {"form": form, "steps": steps, "current": 3})


# --- Error pages ------------------------------------------------------------------------------


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: the page must render even when the database or session is down.
    return HttpResponse(render_to_string("errors/500.html"), status=500)
