"""A throwaway OpenLDAP server (Debian's slapd) for the LDAP tests: cn=config in a temporary slapd.d,
an mdb database, test entries loaded with ldapadd, listening on a free port of 127.0.0.1."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

BASE = "dc=sz,dc=gov,dc=cn"
ROOT_DN = f"cn=admin,{BASE}"
ROOT_PW = "root-secret"
READER_DN = f"cn=tieju-reader,ou=services,{BASE}"
READER_PW = "reader-secret"
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")


def find_slapd():
    return shutil.which("slapd") or next((p for p in ("/usr/sbin/slapd",) if os.path.exists(p)), None)


def _config(tmp):
    schemas = "".join(
        f"include: file://{SCHEMAS / name}\n\n"
        for name in ("core.ldif", "cosine.ldif", "inetorgperson.ldif", "nis.ldif")
    )
    return f"""dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {tmp}/slapd.pid

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: {MODULES}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{schemas}dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {BASE}
olcRootDN: {ROOT_DN}
olcRootPW: {ROOT_PW}
olcDbDirectory: {tmp}/db
olcDbMaxSize: 10485760
olcAccess: {{0}}to attrs=userPassword by self read by anonymous auth by * none
olcAccess: {{1}}to * by users read by * none
"""


def _person(uid, cn, password, mail):
    return f"""dn: uid={uid},ou=people,{BASE}
objectClass: inetOrgPerson
uid: {uid}
cn: {cn}
sn: {cn[0]}
mail: {mail}
userPassword: {password}
"""


def _group(cn, *members):
    lines = "".join(f"member: uid={m},ou=people,{BASE}\n" for m in members)
    return f"dn: cn={cn},ou=groups,{BASE}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}"


ENTRIES = "\n".join(
    [
        f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: sz\no: 深圳市生态环境局\n",
        f"dn: ou=people,{BASE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{BASE}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: ou=services,{BASE}\nobjectClass: organizationalUnit\nou: services\n",
        f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: tieju-reader\n"
        f"userPassword: {READER_PW}\n",
        _person("zhangsan", "张三", "zs-pass-2026", "zhangsan@sz.gov.cn"),
        _person("lisi", "李四", "ls-pass-2026", "lisi@sz.gov.cn"),
        _person("wangwu", "王五", "ww-pass-2026", "wangwu@sz.gov.cn"),
        _person("zhaoliu", "赵六", "zl-pass-2026", "zhaoliu@sz.gov.cn"),
        _person("mover", "钱七", "mv-pass-2026", "mover@sz.gov.cn"),
        _person("water", "冒名者", "dir-water-2026", "impostor@sz.gov.cn"),
        _group("tieju-staff", "zhangsan", "mover"),
        _group("tieju-leaders", "lisi"),
        _group("tieju-admins", "zhaoliu", "water"),
        _group("water-dept", "zhangsan", "mover"),
        _group("air-dept", "zhaoliu"),
        _group("ghost-dept", "zhangsan"),
    ]
)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    def __init__(self, tmp):
        self.tmp = Path(tmp)
        self.port = _free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        slapd = find_slapd()
        config_dir, db = self.tmp / "slapd.d", self.tmp / "db"
        config_dir.mkdir()
        db.mkdir()
        (self.tmp / "config.ldif").write_text(_config(self.tmp), encoding="utf-8")
        slapadd = str(Path(slapd).with_name("slapadd"))
        subprocess.run(
            [slapadd, "-n0", "-F", str(config_dir), "-l", str(self.tmp / "config.ldif")],
            check=True,
            capture_output=True,
        )
        # -d 0: stay in the foreground (so the test session owns the process) without debug output.
        self.process = subprocess.Popen(
            [slapd, "-d", "0", "-F", str(config_dir), "-h", self.uri + "/"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait()
        self.ldapadd(ENTRIES)
        return self

    def _wait(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {self.process.stderr.read().decode(errors='replace')}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("slapd did not start listening within 15 s")

    def ldapadd(self, ldif, *, modify=False):
        tool = "ldapmodify" if modify else "ldapadd"
        subprocess.run(
            [tool, "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PW],
            input=ldif.encode("utf-8"),
            check=True,
            capture_output=True,
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
