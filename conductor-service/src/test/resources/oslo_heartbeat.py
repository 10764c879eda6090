"""Casts one Trove heartbeat to Coffer's conductor with the real oslo.messaging library.

Usage: oslo_heartbeat.py <transport-url> <exchange> <topic> <instance-id> <status> <sent>
"""
import sys

import oslo_messaging
from oslo_config import cfg

url, exchange, topic, instance_id, status, sent = sys.argv[1:7]

# The global configuration, as Trove's services use it (oslo registers some options only there).
conf = cfg.CONF
conf([], project="coffer-interop-test")
# Coffer's exchange is durable; oslo must declare it the same way or the broker refuses it.
oslo_messaging.set_transport_defaults(exchange)
transport = oslo_messaging.get_rpc_transport(conf, url=url)
conf.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
client = oslo_messaging.get_rpc_client(
    transport, oslo_messaging.Target(topic=topic, version="1.0"))
client.cast({}, "heartbeat", instance_id=instance_id,
            payload={"service_status": status}, sent=float(sent))
transport.cleanup()
print("sent")
