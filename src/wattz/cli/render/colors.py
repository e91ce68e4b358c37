"""Zone colours as Zwift draws them (grey, blue, green, yellow, orange, red, purple)."""

ZONE_COLORS = ("grey62", "dodger_blue2", "green3", "yellow3", "dark_orange", "red3", "purple")
