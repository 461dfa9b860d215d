import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("fruit.db")


@app.get("/fruits")
def by_name():
    cur = db.cursor()
    name = request.args["name"]
    # ruleid: dpra.python.sql-built-from-strings
    cur.execute(f"SELECT * FROM fruits WHERE name = '{name}'")
    return cur.fetchall()


def by_colour(cursor, colour):
    # ruleid: dpra.python.sql-built-from-strings
    cursor.execute("SELECT * FROM fruits WHERE colour = '{}'".format(colour))


def by_id(cursor, fruit_id):
    # ruleid: dpra.python.sql-built-from-strings
    cursor.execute("SELECT * FROM fruits WHERE id = %s" % fruit_id)


def delete(cursor, fruit_id):
    sql = "DELETE FROM fruits WHERE id = " + fruit_id
    # ruleid: dpra.python.sql-built-from-strings
    cursor.execute(sql)


def by_id_bound(cursor, fruit_id):
    # ok: dpra.python.sql-built-from-strings
    cursor.execute("SELECT * FROM fruits WHERE id = %s", (fruit_id,))


def constant(cursor):
    # ok: dpra.python.sql-built-from-strings
    cursor.execute(f"SELECT count(*) FROM fruits")


def prepared(cursor, fruit_id):
    sql = "SELECT * FROM fruits WHERE id = ?"
    # ok: dpra.python.sql-built-from-strings
    cursor.execute(sql, (fruit_id,))
