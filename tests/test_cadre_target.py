"""The cadre pages (ledger) measure reach against the campaign's target (campaign): the ledger
reads it through ledger/targets.py, which the campaign app fills in."""
def test_the_reach_gap_uses_the_campaigns_target(client_for, world):
    from conftest import A_CADRE
    from qingnong.campaign.models import Campaign

    from qingnong.ledger.models import Cadre

    Cadre.objects.filter(name=A_CADRE).update(youths_reached=21, is_grassroots=True)
    client = client_for(world.county_a_admin)
    page = client.get(f"/ledger/orgs/{world.county_a.pk}/cadres/").content.decode()
    assert "达到联系 20 名青年" in page and "还差" not in page
    Campaign.objects.filter(org=world.city).update(youths_per_cadre=25)
    page = client.get(f"/ledger/orgs/{world.county_a.pk}/cadres/").content.decode()
    assert "达到联系 25 名青年" in page and "还差 4 名" in page
    cadre = Cadre.objects.get(name=A_CADRE)
    detail = client.get(f"/ledger/cadres/{cadre.pk}/").content.decode()
    assert "距 25 名目标" in detail and "差 4 名" in detail
