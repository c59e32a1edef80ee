from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from . import selectors, services
from .forms import ReplyForm


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    """« Centre des messages »: the client's threads, newest first, with unread counts."""
    page = Paginator(selectors.threads_for(actor_of(request)), 20).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page})


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    """One thread; opening it is the read receipt. The client replies in a dossier thread."""
    user = current_user(request)
    found = selectors.threads_for(user).filter(pk=thread_id).first()
    if found is None:
        raise Http404
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not found.accepts_replies:
            raise Http404
        if form.is_valid():
            try:
                services.reply(thread=found, body=form.cleaned_data["body"], author=user)
            except Refused as refusal:
                form.add_error(refusal.field or None, refusal.message)
            else:
                messages.success(request, _("Votre message a été envoyé."))
                return redirect("messaging:thread", thread_id=found.pk)
    services.mark_read_by_client(found)
    return render(
        request,
        "messaging/thread.html",
        {"thread": found, "thread_messages": found.messages.all(), "form": form},
    )
