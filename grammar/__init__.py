"""The .ship grammar (ship.lark), shipped inside the wheel as package data."""
