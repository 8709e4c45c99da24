"""Which models are audited and can be restored from the 回收站.

Each entry maps a short, URL-safe key to a model. The per-record 操作记录 page and the
回收站 look models up here, so a URL can never name an arbitrary model.
"""
from django.apps import apps

# key -> "app_label.ModelName"; ledger models are added here as they arrive.
TRACKED_MODELS = {
    "org": "org.Org",
    "user": "accounts.User",
    "group": "ledger.WechatGroup",
    "cadre": "ledger.Cadre",
    "account": "ledger.OfficialAccount",
    "account_admin": "ledger.AccountAdmin",
    "message": "ledger.MessageRecord",
    "activity": "ledger.Activity",
    "figures": "ledger.TownshipFigures",
    "plan": "campaign.CountyPlan",
    "campaign": "campaign.Campaign",
}
# Models whose rows are soft-deleted and listed in the 回收站, with the service that
# restores one (it checks the model's own rules, e.g. the parent org must be live).
TRASHABLE = {
    "org": "qingnong.org.services.org_restore",
    "account": "qingnong.ledger.services.accounts.account_restore",
    "group": "qingnong.ledger.services.groups.group_restore",
    "message": "qingnong.ledger.services.messages.message_restore",
    "activity": "qingnong.ledger.services.activities.activity_restore",
    "cadre": "qingnong.ledger.services.cadres.cadre_restore",
}

# A restore service takes the signed-in user as `account` and the record under the
# model's key, except where that key is taken: an official account is `official_account`.
RECORD_ARGUMENT = {"account": "official_account"}


def model_for(key):
    label = TRACKED_MODELS.get(key)
    return apps.get_model(label) if label else None


def key_for(model):
    label = f"{model._meta.app_label}.{model.__name__}"
    for key, value in TRACKED_MODELS.items():
        if value == label:
            return key
    return None
