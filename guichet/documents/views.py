from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, roles
from guichet.accounts.models import Role

from . import selectors, services


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def my_documents(request: HttpRequest) -> HttpResponse:
    """« Mes documents » (seed 001 §4)."""
    documents = selectors.owned_documents(current_user(request))
    return render(request, "documents/my_documents.html", {"documents": documents})


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    user = current_user(request)
    document = selectors.owned_document(user, document_id)
    if document is None:
        raise Http404
    return services.download(document, actor=user)
