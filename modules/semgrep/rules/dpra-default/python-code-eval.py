import ast
import json


def calc(expression):
    # ruleid: dpra.python.eval-of-non-literal
    return eval(expression)


def plugin(source, scope):
    # ruleid: dpra.python.eval-of-non-literal
    exec(source, scope)


def template(name):
    # ruleid: dpra.python.eval-of-non-literal
    return eval(f"greet('{name}')")


def constant():
    # ok: dpra.python.eval-of-non-literal
    return eval("1 + 1")


def data(text):
    # ok: dpra.python.eval-of-non-literal
    return ast.literal_eval(text)


def parsed(text):
    # ok: dpra.python.eval-of-non-literal
    return json.loads(text)
