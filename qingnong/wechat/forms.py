from django import forms

from qingnong.ledger.models import AccountTheme, MessageCategory


class LinkForm(forms.Form):
    app_id = forms.CharField(label="AppID（开发者ID）", max_length=32, help_text="在公众平台“设置与开发→基本配置”中查看，wx 开头。",
                             error_messages={"required": "请填写 AppID。"})
    secret = forms.CharField(label="AppSecret（开发者密码）", max_length=64, widget=forms.PasswordInput(render_value=False),
                             help_text="加密保存，保存后任何人（包括您）都不会再看到它；需要更换时重新填写。",
                             error_messages={"required": "请填写 AppSecret。"})
    aes_key = forms.CharField(label="EncodingAESKey（消息加解密密钥，安全模式时填写）", max_length=64, required=False,
                              widget=forms.PasswordInput(render_value=False))
    verified_service = forms.BooleanField(label="这是已完成微信认证的服务号（可按乡镇生成关注二维码）", required=False)


class ArticleForm(forms.Form):
    category = forms.ChoiceField(label="内容类别", choices=[("", "选择内容类别"), *MessageCategory.choices],
                                 error_messages={"required": "请选择内容类别。"})
    theme = forms.ChoiceField(label="栏目", choices=[("", "（不属于这些栏目）"), *AccountTheme.choices], required=False)


class WecomLinkForm(forms.Form):
    corp_id = forms.CharField(label="企业ID（CorpID）", max_length=32, error_messages={"required": "请填写企业ID。"},
                              help_text="企业微信管理后台“我的企业→企业信息”最下方，ww 开头。")
    secret = forms.CharField(label="客户联系 Secret", max_length=64, widget=forms.PasswordInput(render_value=False),
                             error_messages={"required": "请填写 Secret。"},
                             help_text="“客户与上下游→客户联系→API”中的 Secret。加密保存，保存后不再显示。")
