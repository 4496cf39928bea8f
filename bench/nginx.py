"""nginx on loopback as a server that is never the bottleneck (issue 13).

It answers the pages the C contenders call with the service's fixed answers, over
keep-alive, and checks the session cookie as the service does: `login.aspx` sets
`ASP.NET_SessionId`; `requestLensPINCode.aspx` answers `OK\\r\\nPINCODE:123456` with the
cookie and `NOTLOGGEDIN` without it; `API.asmx` answers SOAP 1.1 `login` and
`requestLensPINCode` the same way (by SOAPAction) and any other action with a `soap:Client`
fault. Plain HTTP on one port, TLS on another (a CA and a server certificate made with
openssl for 127.0.0.1), both on 127.0.0.1 only.

Started by `Nginx(...)` with its own config, pid file, logs and temp paths in a temp dir
(`daemon off`, so the PID run.py holds is the master's), stopped by `stop()`: SIGQUIT to
that PID, then SIGKILL if it lingers, and the temp dir removed.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
NS = "https://secure.logmeinrescue.com/API/API.asmx"
COOKIE = "ASP.NET_SessionId=benchnginxsession0000000"
ENVELOPE = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{}</soap:Body>'
            '</soap:Envelope>')
SOAP_LOGIN = ENVELOPE.format(f'<loginResponse xmlns="{NS}"><loginResult>login_OK'
                             '</loginResult></loginResponse>')
SOAP_PIN = ENVELOPE.format(f'<requestLensPINCodeResponse xmlns="{NS}"><requestLensPINCodeResult>'
                           'requestPINCode_OK</requestLensPINCodeResult><iPINCode>123456'
                           '</iPINCode></requestLensPINCodeResponse>')
SOAP_NOT_LOGGED_IN = ENVELOPE.format(
    f'<requestLensPINCodeResponse xmlns="{NS}"><requestLensPINCodeResult>'
    'requestPINCode_NotLoggedIn</requestLensPINCodeResult><iPINCode>0</iPINCode>'
    '</requestLensPINCodeResponse>')
SOAP_FAULT = ENVELOPE.format('<soap:Fault><faultcode>soap:Client</faultcode><faultstring>'
                             'Server did not recognize the value of HTTP Header SOAPAction.'
                             '</faultstring></soap:Fault>')

CONFIG = """\
daemon off;
master_process on;
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    # A benchmark connection lives for all its calls (the default closes after 1,000).
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{port};
        listen 127.0.0.1:{tls_port} ssl;
        ssl_certificate {dir}/server.pem;
        ssl_certificate_key {dir}/server.key;
        default_type "text/plain; charset=utf-8";
        location = /API/login.aspx {{
            add_header Set-Cookie "{cookie}; path=/; HttpOnly";
            return 200 "OK";
        }}
        location = /API/requestLensPINCode.aspx {{
            if ($http_cookie !~ "{cookie_re}") {{ return 200 "NOTLOGGEDIN"; }}
            return 200 "OK\\r\\nPINCODE:123456";
        }}
        location = /API/API.asmx {{
            default_type "text/xml; charset=utf-8";
            if ($http_soapaction ~ "/login\\"?$") {{
                add_header Set-Cookie "{cookie}; path=/; HttpOnly";
                return 200 '{soap_login}';
            }}
            if ($http_soapaction !~ "/requestLensPINCode\\"?$") {{ return 500 '{soap_fault}'; }}
            if ($http_cookie !~ "{cookie_re}") {{ return 200 '{soap_not_logged_in}'; }}
            return 200 '{soap_pin}';
        }}
        location / {{ return 404; }}
    }}
}}
"""


def cpu_ticks(pid):
    """utime + stime of a whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def available(nginx="nginx"):
    """Why nginx can't run here, or None."""
    if shutil.which(nginx) is None and not os.access("/usr/sbin/nginx", os.X_OK):
        return "nginx not installed (Debian nginx; make bench-deps)"
    if shutil.which("openssl") is None:
        return "openssl not installed"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates(directory):
    """A CA (ca.pem) and a server certificate for IP 127.0.0.1 signed by it."""
    def run(*argv):
        subprocess.run(["openssl", *argv], cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=bench CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nsubjectAltName=IP:127.0.0.1\n"
                "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext")


class Nginx:
    """nginx serving the fixed answers; `url` (plain) and `tls_url`, `cert` (the CA file)."""

    def __init__(self, workers=2, nginx=None):
        self.dir = tempfile.mkdtemp(prefix="bench-nginx-")
        self.proc = None
        try:
            self._start(workers, nginx or shutil.which("nginx") or "/usr/sbin/nginx")
        except BaseException:
            self.stop()
            raise

    def _start(self, workers, binary):
        make_certificates(self.dir)
        self.cert = os.path.join(self.dir, "ca.pem")
        port, tls_port = free_port(), free_port()
        cookie_re = COOKIE.replace(".", "\\.")
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(CONFIG.format(
                workers=workers, dir=self.dir, port=port, tls_port=tls_port, cookie=COOKIE,
                cookie_re=cookie_re, soap_login=SOAP_LOGIN, soap_pin=SOAP_PIN,
                soap_fault=SOAP_FAULT, soap_not_logged_in=SOAP_NOT_LOGGED_IN))
        self.url = f"http://127.0.0.1:{port}/API/"
        self.tls_url = f"https://127.0.0.1:{tls_port}/API/"
        log = open(os.path.join(self.dir, "stderr.log"), "w")
        # -e: the error log before the config is read (else /var/log/nginx/error.log).
        self.proc = subprocess.Popen(
            [binary, "-p", self.dir, "-e", os.path.join(self.dir, "error.log"),
             "-c", os.path.join(self.dir, "nginx.conf")],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self._errors())
            if len(self.workers()) >= workers and all(
                    self._listening(p) for p in (port, tls_port)):
                return
            time.sleep(0.05)
        raise RuntimeError("nginx did not start within 10 s: " + self._errors())

    def _errors(self):
        text = ""
        for name in ("stderr.log", "error.log"):
            try:
                with open(os.path.join(self.dir, name)) as f:
                    text += f.read()
            except OSError:
                pass
        return " | ".join(text.strip().splitlines()[-3:])

    @staticmethod
    def _listening(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    def workers(self):
        """The master's children (its worker processes)."""
        if self.proc is None:
            return []
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:  # a kernel without CONFIG_PROC_CHILDREN: look for the parent PID
            found = []
            for entry in os.listdir("/proc"):
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                            found.append(int(entry))
                except (OSError, ValueError, IndexError):
                    pass
            return found

    def account(self):
        return "bench@nginx.test"  # nginx takes any login

    def cpu(self):
        """CPU seconds of the master and its workers: single-threaded processes that live as
        long as the server, so /proc/PID/schedstat's run time (ns) is theirs in full, and
        exact where /proc/PID/stat counts 10 ms ticks."""
        total = 0.0
        for pid in [self.proc.pid] + self.workers():
            try:
                with open(f"/proc/{pid}/schedstat") as f:
                    total += int(f.read().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                try:
                    total += cpu_ticks(pid)
                except OSError:
                    pass
        return total

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish and exit
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
