import json
import pickle

import yaml


def restore(blob):
    # ruleid: dpra.python.unsafe-deserialisation
    return pickle.loads(blob)


def restore_file(path):
    with open(path, "rb") as f:
        # ruleid: dpra.python.unsafe-deserialisation
        return pickle.load(f)


def settings(text):
    # ruleid: dpra.python.unsafe-deserialisation
    return yaml.load(text)


def settings_full(text):
    # ruleid: dpra.python.unsafe-deserialisation
    return yaml.load(text, Loader=yaml.FullLoader)


def settings_unsafe(text):
    # ruleid: dpra.python.unsafe-deserialisation
    return yaml.unsafe_load(text)


def settings_safe(text):
    # ok: dpra.python.unsafe-deserialisation
    return yaml.safe_load(text)


def settings_safe_loader(text):
    # ok: dpra.python.unsafe-deserialisation
    return yaml.load(text, Loader=yaml.SafeLoader)


def data(text):
    # ok: dpra.python.unsafe-deserialisation
    return json.loads(text)


def save(obj):
    # ok: dpra.python.unsafe-deserialisation
    return pickle.dumps(obj)
