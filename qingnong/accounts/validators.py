"""Password rules with the UI's words: Django 5.2 changed the msgid of the length message and
its zh_Hans catalog still has the old one, so it showed in English (issue 15)."""
from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"
