"""Every model registered in the admin has a working list and add/change page for a superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_every_registered_admin_changelist_loads(client: Client) -> None:
    superuser = User.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(superuser)
    failures = []
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
    assert failures == []
    assert len(admin.site._registry) >= 20
