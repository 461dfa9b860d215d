import os
import subprocess


def ping(host):
    # ruleid: dpra.python.shell-command-from-values
    os.system("ping -c 1 " + host)


def archive(folder):
    # ruleid: dpra.python.shell-command-from-values
    subprocess.run(f"tar czf /tmp/out.tgz {folder}", shell=True, check=True)


def run(cmd):
    # ruleid: dpra.python.shell-command-from-values
    return subprocess.check_output(cmd, shell=True)


def listing(folder):
    # ruleid: dpra.python.shell-command-from-values
    return os.popen("ls -l %s" % folder).read()


def ping_safe(host):
    # ok: dpra.python.shell-command-from-values
    subprocess.run(["ping", "-c", "1", host], check=True)


def constant():
    # ok: dpra.python.shell-command-from-values
    os.system("sync")


def constant_shell():
    # ok: dpra.python.shell-command-from-values
    subprocess.run("ls -l /tmp | wc -l", shell=True, check=True)


def no_shell(cmd):
    # ok: dpra.python.shell-command-from-values
    subprocess.run(cmd, shell=False, check=True)
