from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.core.access import roles
from guichet.core.actor import actor_of

from . import selectors, services


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["GET"])
def my_documents(request: HttpRequest) -> HttpResponse:
    """« Mes documents » (seed 001 §4)."""
    documents = selectors.documents_for(actor_of(request))
    return render(request, "documents/my_documents.html", {"documents": documents})


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["GET"])
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = actor_of(request)
    document = selectors.documents_for(actor).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return services.download(document, actor=actor)
