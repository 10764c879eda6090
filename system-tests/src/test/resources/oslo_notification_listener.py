"""Listens to Coffer's usage notifications with the real oslo.messaging library, as Ceilometer does.

Usage: oslo_notification_listener.py <transport-url> <exchange> <topic> <output-file>

Each notification received is appended to the output file as one JSON line:
{"priority", "publisher_id", "event_type", "payload", "metadata"}. "listening" is printed once the
listener's queue is bound.
"""
import json
import sys
import threading

import oslo_messaging
from oslo_config import cfg

url, exchange, topic, output = sys.argv[1:5]

conf = cfg.CONF
conf([], project="coffer-notification-test")
transport = oslo_messaging.get_notification_transport(conf, url=url)
# Coffer's notification exchange is durable: oslo must declare it (and its queue) the same way
conf.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
lock = threading.Lock()


class Endpoint:
    def _write(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        with lock, open(output, "a") as f:
            f.write(json.dumps({"priority": priority, "publisher_id": publisher_id,
                                "event_type": event_type, "payload": payload,
                                "metadata": metadata}) + "\n")

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._write("INFO", ctxt, publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._write("ERROR", ctxt, publisher_id, event_type, payload, metadata)


listener = oslo_messaging.get_notification_listener(
    transport, [oslo_messaging.Target(topic=topic, exchange=exchange)], [Endpoint()],
    executor="threading")
listener.start()
print("listening", flush=True)
threading.Event().wait()
