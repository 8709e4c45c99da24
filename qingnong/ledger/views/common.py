"""Fetching an org or a record for a ledger view: always through org.scoping."""
from qingnong.org.models import Org
from qingnong.org.scoping import get_scoped_or_404


def org_or_404(request, org_id):
    return get_scoped_or_404(Org.objects.all(), request.user, pk=org_id)


def record_or_404(request, queryset, pk):
    return get_scoped_or_404(queryset, request.user, pk=pk)
