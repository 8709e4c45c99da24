"""The fetch-and-check helpers: scope first (404 for every role), then the declared role
(403), and a view that declares a role but never checks it cannot answer."""
import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, get_for_user, role_required
from qingnong.org.models import Org


def request_as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@role_required(Role.REPORTER, after_scope=True)
def change_org(request, org_id):
    org = get_for_user(request, Org.objects.all(), org_id, rw=True)
    return HttpResponse(org.name)


@role_required(Role.REPORTER, after_scope=True)
def forgets_the_check(request, org_id):
    get_for_user(request, Org.objects.all(), org_id)  # read-only fetch: the role is never checked
    return HttpResponse("changed")


def test_reporter_in_scope_may_change(world):
    assert change_org(request_as(world.county_a_reporter), world.township_a.pk).content.decode() == world.township_a.name


def test_viewer_in_scope_is_refused_with_the_role_message(world):
    with pytest.raises(PermissionDenied, match="查看员"):
        change_org(request_as(world.county_a_viewer), world.township_a.pk)


@pytest.mark.parametrize("persona", ["county_b_admin", "county_b_viewer"])
def test_another_county_is_a_404_whatever_the_role(world, persona):
    with pytest.raises(Http404):
        change_org(request_as(getattr(world, persona)), world.township_a.pk)


def test_a_view_that_declares_a_role_but_never_checks_it_cannot_answer(world):
    with pytest.raises(ImproperlyConfigured, match="forgets_the_check"):
        forgets_the_check(request_as(world.county_a_viewer), world.township_a.pk)


def test_check_role_outside_a_declaring_view_is_a_programming_error(world):
    with pytest.raises(ImproperlyConfigured):
        check_role(request_as(world.county_a_admin))
