"""Consumes shop.v1.OrderPlaced / PaymentFailed events and renders e-mails."""

import json
import pathlib
import string
import sys

TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"

EVENT_TEMPLATES = {
    "shop.v1.OrderPlaced": "order_placed.txt",
    "shop.v1.PaymentFailed": "payment_failed.txt",
}


def render(event_type: str, payload: dict) -> str:
    name = EVENT_TEMPLATES[event_type]
    template = string.Template((TEMPLATES / name).read_text())
    return template.substitute(payload)


def main() -> int:
    for line in sys.stdin:
        event = json.loads(line)
        print(render(event["type"], event["payload"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
