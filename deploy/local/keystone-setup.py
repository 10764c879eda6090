#!/usr/bin/python3
"""Registers Coffer and its neighbours in a Keystone that `keystone-manage bootstrap` made.

Idempotent: everything is looked up by name first and created only where missing; a password is
set again only when the given one does not log in (setting it would revoke the user's tokens).

    keystone-setup.py SPEC.json

SPEC: {"auth_url", "admin_password", "region",
       "services": [{"user", "password", "roles": [...]}],            # accounts in project "service"
       "catalog":  [{"name", "type", "url"}],                           # one endpoint per interface
       "projects": [{"name", "user", "password", "roles": [...]}]}     # tenants and their users
"""
import json
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

DOMAIN = "default"


def one(items, name):
    for item in items:
        if item.name == name:
            return item
    return None


def project(ks, name, description):
    found = one(ks.projects.list(domain=DOMAIN, name=name), name)
    return found or ks.projects.create(name, DOMAIN, description=description)


def role(ks, name):
    return one(ks.roles.list(name=name), name) or ks.roles.create(name)


def can_log_in(auth_url, name, password):
    try:
        v3.Password(auth_url=auth_url, username=name, password=password,
                    user_domain_id=DOMAIN).get_token(session.Session())
        return True
    except Exception:
        return False


def user(ks, auth_url, name, password, home):
    found = one(ks.users.list(domain=DOMAIN, name=name), name)
    if found is None:
        return ks.users.create(name, domain=DOMAIN, password=password, default_project=home)
    # a password change revokes the user's tokens: only when the kept one no longer works
    if not found.enabled or not can_log_in(auth_url, name, password):
        return ks.users.update(found, password=password, default_project=home, enabled=True)
    return found


def grant(ks, who, roles, where):
    for name in roles:
        ks.roles.grant(role(ks, name), user=who, project=where)


def endpoint(ks, region, name, kind, url):
    service = one(ks.services.list(type=kind), name) or ks.services.create(name, type=kind)
    existing = {e.interface: e for e in ks.endpoints.list(service=service, region=region)}
    for interface in ("public", "internal", "admin"):
        current = existing.get(interface)
        if current is None:
            ks.endpoints.create(service, url, interface=interface, region=region)
        elif current.url != url:
            ks.endpoints.update(current, url=url)


def main(path):
    with open(path) as f:
        spec = json.load(f)
    auth = v3.Password(
        auth_url=spec["auth_url"],
        username="admin",
        password=spec["admin_password"],
        project_name="admin",
        user_domain_id=DOMAIN,
        project_domain_id=DOMAIN,
    )
    ks = client.Client(session=session.Session(auth=auth), interface="public")
    service_project = project(ks, "service", "service accounts")
    for account in spec.get("services", []):
        u = user(ks, spec["auth_url"], account["user"], account["password"], service_project)
        grant(ks, u, account["roles"], service_project)
    for entry in spec.get("catalog", []):
        endpoint(ks, spec["region"], entry["name"], entry["type"], entry["url"])
    ids = {}
    for tenant in spec.get("projects", []):
        p = project(ks, tenant["name"], "Coffer tenant " + tenant["name"])
        u = user(ks, spec["auth_url"], tenant["user"], tenant["password"], p)
        grant(ks, u, tenant["roles"], p)
        ids[tenant["name"]] = p.id
    ids["admin"] = one(ks.projects.list(domain=DOMAIN, name="admin"), "admin").id
    ids["service"] = service_project.id
    json.dump(ids, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
