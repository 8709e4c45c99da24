"""团干部数 and 团支部数 of 附件3 come from the ledger where it holds more of them than the
typed figures (issue 12, "fill once"), as they stood on the form's date."""
from datetime import date, timedelta

from qingnong.ledger.models import Cadre, TownshipFigures
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.reports.progress import progress_form


def row(world, day=None):
    form = progress_form(world.county_a, as_of=day or today())
    return next(r for r in form.rows if r["org"].pk == world.township_a.pk)


def ledger_counts(world):
    cadres = Cadre.objects.filter(org__path__startswith=world.township_a.path).count()
    branches = Org.objects.filter(path__startswith=world.township_a.path, level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT]).count()
    return cadres, branches


def test_with_nothing_typed_the_ledger_counts(world):
    for i in range(3):
        Cadre.objects.create(org=world.village_a, name=f"村干部{i}")
    cadres, branches = ledger_counts(world)
    assert cadres >= 4 and branches >= 1
    assert (row(world)["cadre_count"], row(world)["branch_count"]) == (cadres, branches)


def test_a_bigger_typed_figure_stands(world):
    TownshipFigures.objects.create(org=world.township_a, as_of=today(), branch_count=30, cadre_count=40, youth_count=500)
    assert (row(world)["cadre_count"], row(world)["branch_count"], row(world)["youth_count"]) == (40, 30, 500)


def test_a_past_form_counts_what_stood_then(world):
    """The cadres as their 修改历史 says they stood (the dated summary rows read it): made ten
    days ago, deleted two days ago."""
    from django.utils import timezone

    from qingnong.ledger.services.cadres import cadre_delete
    from qingnong.ledger.totals import refresh

    assert row(world, date(2000, 1, 1))["cadre_count"] == 0  # the world's cadres were recorded long after
    cadre = Cadre.objects.create(org=world.township_a, name="后来撤销")
    cadre_delete(user=world.county_a_admin, cadre=cadre)
    now = timezone.now()
    Cadre.all_objects.filter(pk=cadre.pk).update(created_at=now - timedelta(days=10))
    made, deleted = cadre.history.order_by("history_date")
    type(made).objects.filter(pk=made.pk).update(history_date=now - timedelta(days=10))
    type(made).objects.filter(pk=deleted.pk).update(history_date=now - timedelta(days=2))
    refresh([world.township_a.pk], ("cadres",))
    assert row(world, today() - timedelta(days=5))["cadre_count"] == 1  # it stood then (the world's came today)
    assert row(world, today() - timedelta(days=1))["cadre_count"] == 0  # deleted since
