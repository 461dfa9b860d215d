import os

import psycopg2

# ruleid: dpra.python.hardcoded-credential
DB_PASSWORD = "s3cr3t-Passw0rd"


def connect():
    # ruleid: dpra.python.hardcoded-credential
    return psycopg2.connect(host="db.internal", user="fruit", password="hunter2-hunter2")


SETTINGS = {
    "host": "db.internal",
    # ruleid: dpra.python.hardcoded-credential
    "api_key": "k-4f9a1c2e7b",  # gitleaks:allow (a fake value for the rule test)
}


class Client:
    def __init__(self):
        # ruleid: dpra.python.hardcoded-credential
        self.token = "eyJhbGciOiJIUzI1NiJ9.e30.x"  # gitleaks:allow


# ok: dpra.python.hardcoded-credential
FROM_ENV = os.environ.get("DB_PASSWORD", "")

# ok: dpra.python.hardcoded-credential
EMPTY_PASSWORD = ""

# ok: dpra.python.hardcoded-credential
PASSWORD_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db"


def connect_from_env():
    # ok: dpra.python.hardcoded-credential
    return psycopg2.connect(host="db.internal", user="fruit", password=os.environ["DB_PASSWORD"])
