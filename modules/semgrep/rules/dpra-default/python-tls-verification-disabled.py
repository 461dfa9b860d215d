import ssl

import httpx
import requests


def fetch(url):
    # ruleid: dpra.python.tls-verification-disabled
    return requests.get(url, timeout=5, verify=False)


def client():
    # ruleid: dpra.python.tls-verification-disabled
    return httpx.Client(verify=False)


def session():
    s = requests.Session()
    # ruleid: dpra.python.tls-verification-disabled
    s.verify = False
    return s


def context():
    ctx = ssl.create_default_context()
    # ruleid: dpra.python.tls-verification-disabled
    ctx.check_hostname = False
    # ruleid: dpra.python.tls-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def unverified():
    # ruleid: dpra.python.tls-verification-disabled
    return ssl._create_unverified_context()


def fetch_private_ca(url):
    # ok: dpra.python.tls-verification-disabled
    return requests.get(url, timeout=5, verify="/etc/ssl/private-ca.pem")


def strict_context():
    # ok: dpra.python.tls-verification-disabled
    return ssl.create_default_context(cafile="/etc/ssl/private-ca.pem")
