"""The task results as administrators see them: what ran and how it ended, never what it was
given or returned. Tasks receive ids only (guichet.core.email), and this keeps any argument out of
sight should one ever slip in."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

HIDDEN = ("args_kwargs", "return_value")


class GuichetTaskResultAdmin(DBTaskResultAdmin):
    def get_readonly_fields(
        self, request: HttpRequest, obj: DBTaskResult | None = None
    ) -> list[str]:
        return [f for f in super().get_readonly_fields(request, obj) if f not in HIDDEN]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, GuichetTaskResultAdmin)
