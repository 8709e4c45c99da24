"""The demo's assessment data: the default rubric and two awards, loaded once."""
from qingnong.demo.assessment import assessment_demo_load
from qingnong.inspection.models import Award, Rubric


def test_demo_loads_the_rubric_and_two_awards_once(world):
    campaign = assessment_demo_load(city_admin=world.city_admin)
    assessment_demo_load(city_admin=world.city_admin)
    assert Rubric.objects.get(campaign=campaign).items.count() == 4
    awards = list(Award.objects.filter(campaign=campaign))
    assert sorted(a.category for a in awards) == ["excellent", "growth"]
    assert all(a.reason.endswith("（演示数据）") for a in awards)
