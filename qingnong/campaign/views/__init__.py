"""Campaign views: settings (the city's campaign), plans (附件1), the dashboard, reminders.

Each module lists its own URL patterns in `urls`."""
