#!/usr/bin/env bash
# mailservers.sh - install (Debian 12) and run Dovecot (IMAP/IMAPS/LMTP) + Postfix
# (SMTP AUTH -> LMTP -> Dovecot) on 127.0.0.1 only, without systemd.
#
#   ./mailservers.sh            # = start: install if needed, (re)write config, start, wait for ports.
#                               #   Idempotent: when everything already runs and the config is
#                               #   unchanged it only checks (~0.1 s) and reloads nothing.
#   ./mailservers.sh stop       # stop the daemons this script started (via their pid files)
#   ./mailservers.sh stop-smtp  # stop ONLY Postfix (ports 2525/4650 refuse connections; Dovecot keeps
#                               #   running, queued mail stays queued) - "the SMTP server went away"
#   ./mailservers.sh start-smtp # start Postfix again (full start if Dovecot is not running either)
#   ./mailservers.sh status     # print pids / ports
#   ./mailservers.sh restart
#   ./mailservers.sh reset-mail # stop, wipe all mailboxes + postfix queue (configs kept)
#   ./mailservers.sh env        # print shell variables for test suites (eval "$(./mailservers.sh env)")
#   status exits 1 unless every expected daemon is running.
#
# Needs root (apt-get, useradd, dovecot/postfix masters drop privileges themselves); as another
# user, the root-only subcommands re-run themselves through `sudo -n` when that works.
# Daemons never inherit the caller's stdin/stdout/stderr (a test runner piping this script's
# output gets EOF as soon as the script exits).
# Everything lives under $MAIL_ROOT; nothing in /etc/dovecot or /etc/postfix is used or changed.
#
# Environment overrides (defaults in brackets):
#   MAIL_ROOT [${TMPDIR:-/tmp}/switchboard-mail]   MAIL_DOMAIN [example.test]
#   MAIL_USERS ["alice:alice-pw bob:bob-pw ... bench:bench-pw"]  (local parts:password;
#                     alice..heidi (outbound), ivan judy kim leo mia (inbox), nina oscar paul
#                     quinn rosa (automation), bench (benchmarks), sam..hal (hardening and
#                     daily-mail tests, one pair per test file); password <name>-pw)
#   IMAP_PORT [1143]  plain IMAP, no STARTTLS advertised, LOGIN/AUTH PLAIN allowed
#   IMAPS_PORT [1993] implicit-TLS IMAP (self-signed cert; second Dovecot instance)
#   IMAPSTARTTLS_PORT [1144] IMAP with STARTTLS required (same TLS instance)
#   IMAP_NOCS_PORT [1145] plain IMAP of a third Dovecot instance (same users and mail) that
#                     advertises what an old server (Courier) has: no CONDSTORE/QRESYNC, no IDLE,
#                     no MOVE, no LIST-STATUS (0 = do not run that instance)
#   SMTP_PORT [2525]  SMTP with AUTH PLAIN/LOGIN, no STARTTLS advertised
#   SMTPS_PORT [4650] implicit-TLS SMTP with AUTH
#   LMTP_PORT [2424]  Dovecot LMTP on TCP (direct delivery shortcut for tests)
#   MAIL_TLS [1]      0 = skip the TLS Dovecot instance and the SMTPS port
#   MAIL_CATCHALL []  e.g. "carol": mail to any non-local domain is delivered to carol@$MAIL_DOMAIN
#                     (default: such recipients are rejected at RCPT TO with 550)
#   MAIL_INSTALL [1]  0 = never call apt-get (fail if packages are missing)
#   MAIL_EXTRA_PKGS [] more Debian packages for the same apt-get call (e.g. "isync"):
#                     each apt-get run costs ~4-5 s of fixed dpkg/trigger overhead
set -euo pipefail

_tmp="${TMPDIR:-/tmp}"
MAIL_ROOT="${MAIL_ROOT:-${_tmp%/}/switchboard-mail}"
MAIL_DOMAIN="${MAIL_DOMAIN:-example.test}"
DEFAULT_USERS=""
for _u in alice bob carol dave erin frank grace heidi ivan judy kim leo mia nina oscar paul quinn rosa bench sam tara uma vera walt xena yara zoe abe bea cal dan eve fay gus hal ian jen ken lou max ned ola pat rex sue ted una val wyn yul zed amy ben cid dee fox gil hop ivy jay kit lim moe nat opi pru quy rae sid tom ulf vic wes; do DEFAULT_USERS+="$_u:$_u-pw "; done
MAIL_USERS="${MAIL_USERS:-${DEFAULT_USERS% }}"
IMAP_PORT="${IMAP_PORT:-1143}"
IMAPS_PORT="${IMAPS_PORT:-1993}"
IMAPSTARTTLS_PORT="${IMAPSTARTTLS_PORT:-1144}"
IMAP_NOCS_PORT="${IMAP_NOCS_PORT:-1145}"
SMTP_PORT="${SMTP_PORT:-2525}"
SMTPS_PORT="${SMTPS_PORT:-4650}"
LMTP_PORT="${LMTP_PORT:-2424}"
MAIL_TLS="${MAIL_TLS:-1}"
MAIL_INSTALL="${MAIL_INSTALL:-1}"
MAIL_CATCHALL="${MAIL_CATCHALL:-}"
# Users whose server files a copy of every message they send into their Sent folder (as Gmail and
# Outlook do): Postfix BCCs user+Sent, and Dovecot LMTP saves +detail into that folder.
MAIL_SERVER_SENT="${MAIL_SERVER_SENT-grace ola kit}"
VMAIL_USER=vmail
LISTEN=127.0.0.1

ETC="$MAIL_ROOT/etc"
RUN="$MAIL_ROOT/run"
LOG="$MAIL_ROOT/log"
MAILDIRS="$MAIL_ROOT/mail"
DC_CONF="$ETC/dovecot/dovecot.conf"
DC_TLS_CONF="$ETC/dovecot/dovecot-tls.conf"
DC_PID="$RUN/dovecot/master.pid"
DC_TLS_PID="$RUN/dovecot-tls/master.pid"
DC_NOCS_CONF="$ETC/dovecot/dovecot-nocs.conf"
DC_NOCS_PID="$RUN/dovecot-nocs/master.pid"
PF_CONF="$ETC/postfix"
PF_QUEUE="$MAIL_ROOT/spool/postfix"
PF_PID="$PF_QUEUE/pid/master.pid"
# Marker for a deliberate SMTP outage (stop-smtp): test helpers that find SMTP down while it
# exists wait for start-smtp instead of restarting Postfix behind the test's back.
SMTP_STOPPED_MARK="$RUN/smtp-stopped"

log() { printf '[mailservers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# write stdin to $1 only if the content changed (keeps mtimes stable: Postfix's
# check-fatal takes ~2 s instead of ~0.25 s whenever main.cf is newer than last time)
put() { cat > "$1.new"; if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi; }

# running = exists and not a zombie. The daemons are re-parented to PID 1; an init that
# reaps lazily (containers, microVMs) leaves zombies for seconds, and kill -0 succeeds on those.
running() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ "${st:0:1}" != Z ]]
}

# pid file exists, process running, and it is a dovecot/postfix master (guards against pid reuse)
pid_alive() {
  local pid
  [[ -s "$1" && -r "$1" ]] || return 1
  pid=$(tr -d ' \n' < "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid" || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" =~ ^(dovecot|master)$ ]]
}

# listening? (ss avoids real connections, which e.g. the SMTPS port logs as SSL errors)
port_open() {
  if command -v ss >/dev/null; then [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else (exec 3<>"/dev/tcp/$LISTEN/$1") 2>/dev/null; fi
}

# Run a command that daemonizes: stdin /dev/null, stdout+stderr appended to a log file, and every
# other inherited descriptor closed (the lock on fd 9, a caller's pipe on some high fd: Dovecot's
# master keeps whatever it inherits, and a daemon holding the write end of a caller's pipe makes
# that caller - `mailservers.sh | tail`, a test runner capturing output - wait forever for EOF).
run_detached() { # logfile cmd...
  local logf=$1; shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec "$@" </dev/null >>"$logf" 2>&1
  )
}

wait_port() { # port timeout_s
  local i
  for ((i = 0; i < $2 * 20; i++)); do port_open "$1" && return 0; sleep 0.05; done
  return 1
}

wait_port_closed() { # port timeout_s
  local i
  for ((i = 0; i < $2 * 20; i++)); do port_open "$1" || return 0; sleep 0.05; done
  return 1
}

# hash of every generated config file (start reloads running daemons only when it changes)
config_hash() {
  # a file missing (first run, or an older script's config) just changes the hash
  { cat "$ETC/dovecot/users" "$ETC/dovecot/common.conf" "$DC_CONF" "$DC_TLS_CONF" \
    "$PF_CONF/vmailbox" "$PF_CONF/catchall.regexp" "$PF_CONF/sent_bcc.regexp" "$PF_CONF/main.cf" "$PF_CONF/master.cf" 2>/dev/null || true; } | cksum
}

smtp_ports() { echo "$SMTP_PORT"; if [[ "$MAIL_TLS" == 1 ]]; then echo "$SMTPS_PORT"; fi; }
all_ports() {
  echo "$IMAP_PORT"; echo "$LMTP_PORT"
  if [[ "$MAIL_TLS" == 1 ]]; then echo "$IMAPS_PORT"; echo "$IMAPSTARTTLS_PORT"; fi
  if [[ "$IMAP_NOCS_PORT" != 0 ]]; then echo "$IMAP_NOCS_PORT"; fi
  smtp_ports
}

# ---------------------------------------------------------------- install
PKGS=(dovecot-imapd dovecot-lmtpd postfix openssl ${MAIL_EXTRA_PKGS:-})

install_pkgs() {
  local missing=() p
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ "$MAIL_INSTALL" == 1 ]] || die "missing packages: ${missing[*]} (MAIL_INSTALL=0)"
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix: no debconf questions, no /etc/postfix/main.cf generated.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # Keep maintainer scripts from starting the system-wide daemons (ports 25/143/993)
  # on hosts without a policy-rc.d (Docker images usually have one already).
  local own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  if ! apt-get install -y --no-install-recommends "${missing[@]}" </dev/null >"$LOG/apt.log" 2>&1 9>&-; then
    apt-get update </dev/null >>"$LOG/apt.log" 2>&1 9>&- || true
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null >>"$LOG/apt.log" 2>&1 9>&- || rc=$?
  fi
  ((own_policy)) && rm -f /usr/sbin/policy-rc.d
  if ((rc != 0)); then tail -15 "$LOG/apt.log" >&2; die "apt-get install failed, see $LOG/apt.log"; fi
}

# ---------------------------------------------------------------- config
write_config() {
  mkdir -p "$ETC/dovecot" "$PF_CONF" "$ETC/tls" "$RUN" "$LOG" "$MAILDIRS" "$MAIL_ROOT/lib/postfix" "$PF_QUEUE"
  chmod 755 "$MAIL_ROOT" "$ETC" "$RUN" "$LOG"

  if ! getent passwd "$VMAIL_USER" >/dev/null; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin "$VMAIL_USER"
  fi
  local vuid vgid
  vuid=$(id -u "$VMAIL_USER"); vgid=$(id -g "$VMAIL_USER")
  chown "$VMAIL_USER:$VMAIL_USER" "$MAILDIRS"
  chown postfix:postfix "$MAIL_ROOT/lib/postfix"
  chmod 750 "$MAILDIRS"
  touch "$LOG/dovecot.log" "$LOG/dovecot-tls.log" "$LOG/dovecot-nocs.log" "$LOG/postfix.log"

  # Self-signed certificate (only once).
  if [[ ! -s "$ETC/tls/cert.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$ETC/tls/key.pem" -out "$ETC/tls/cert.pem" >/dev/null 2>&1
    chmod 600 "$ETC/tls/key.pem"
  fi

  # passwd-file: user:{PLAIN}pw:uid:gid::home::  (used as passdb AND userdb)
  local u name pw
  for u in $MAIL_USERS; do
    name="${u%%:*}"; pw="${u#*:}"
    printf '%s@%s:{PLAIN}%s:%s:%s::%s/%s@%s::\n' "$name" "$MAIL_DOMAIN" "$pw" "$vuid" "$vgid" \
      "$MAILDIRS" "$name" "$MAIL_DOMAIN"
  done | put "$ETC/dovecot/users"
  for u in $MAIL_USERS; do printf '%s@%s OK\n' "${u%%:*}" "$MAIL_DOMAIN"; done | put "$PF_CONF/vmailbox"
  chown root:dovecot "$ETC/dovecot/users"; chmod 640 "$ETC/dovecot/users"
  # regexp table: "!/re/ result" = result for every address NOT matching re; the if/@/
  # guard keeps bare-domain lookups from matching (main.cf also sets virtual_alias_domains
  # empty, else Postfix would treat $MAIL_DOMAIN as an alias-only domain: "User unknown in
  # virtual alias table" for every real user)
  if [[ -n "$MAIL_CATCHALL" ]]; then
    printf 'if /@/\n!/@%s$/ %s@%s\nendif\n' "${MAIL_DOMAIN//./\\.}" "$MAIL_CATCHALL" "$MAIL_DOMAIN"
  fi | put "$PF_CONF/catchall.regexp"
  for u in $MAIL_SERVER_SENT; do
    printf '/^%s@%s$/ %s+Sent@%s\n' "$u" "${MAIL_DOMAIN//./\\.}" "$u" "$MAIL_DOMAIN"
  done | put "$PF_CONF/sent_bcc.regexp"

  # ---- Dovecot: shared part (both instances read the same users + mail store)
  put "$ETC/dovecot/common.conf" <<EOF
# generated by mailservers.sh
listen = $LISTEN
auth_mechanisms = plain login
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
# Maildir++ forbids '.' in folder names when the IMAP separator is '/'; listescape
# stores such characters as \\NN on disk so "v1.2 notes" works.
mail_plugins = \$mail_plugins listescape
mail_uid = $vuid
mail_gid = $vgid
first_valid_uid = $vuid
last_valid_uid = $vuid
mail_fsync = never
# Test-server friendliness: no 2 s delay on a wrong password, and no per-IP auth
# penalty (else after one failed login every login from 127.0.0.1 waits 2..15 s).
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    auto = subscribe
    special_use = \\Drafts
  }
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
  mailbox Trash {
    auto = subscribe
    special_use = \\Trash
  }
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
  mailbox Archive {
    auto = no
    special_use = \\Archive
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $ETC/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $ETC/dovecot/users
}
protocol imap {
  mail_max_userip_connections = 100
}
ssl_cert = <$ETC/tls/cert.pem
ssl_key = <$ETC/tls/key.pem
EOF

  # ---- Dovecot instance 1: plain IMAP (no STARTTLS) + LMTP + auth socket for Postfix
  put "$DC_CONF" <<EOF
# generated by mailservers.sh
instance_name = sb-mail
base_dir = $RUN/dovecot
state_dir = $MAIL_ROOT/lib/dovecot
log_path = $LOG/dovecot.log
protocols = imap lmtp
ssl = no
!include $ETC/dovecot/common.conf
service imap-login {
  inet_listener imap {
    address = $LISTEN
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  unix_listener $RUN/dovecot-lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
  inet_listener lmtp {
    address = $LISTEN
    port = $LMTP_PORT
  }
}
service auth {
  unix_listener $RUN/dovecot-auth {
    mode = 0600
    user = postfix
    group = postfix
  }
}
protocol lmtp {
  postmaster_address = postmaster@$MAIL_DOMAIN
  # user+Folder@domain is stored in Folder (used for server-side Sent copies)
  lmtp_save_to_detail_mailbox = yes
}
recipient_delimiter = +
EOF

  # ---- Dovecot instance 2: IMAPS + STARTTLS-required IMAP, same users/mail
  put "$DC_TLS_CONF" <<EOF
# generated by mailservers.sh
instance_name = sb-mail-tls
base_dir = $RUN/dovecot-tls
state_dir = $MAIL_ROOT/lib/dovecot-tls
log_path = $LOG/dovecot-tls.log
protocols = imap
ssl = required
!include $ETC/dovecot/common.conf
service imap-login {
  inet_listener imap {
    address = $LISTEN
    port = $IMAPSTARTTLS_PORT
  }
  inet_listener imaps {
    address = $LISTEN
    port = $IMAPS_PORT
    ssl = yes
  }
}
EOF

  # ---- Dovecot instance 3: plain IMAP that looks like an old server (Courier): the capabilities
  # below are Dovecot's own less CONDSTORE, QRESYNC, IDLE, MOVE, LIST-STATUS and NOTIFY, so clients
  # take their fallbacks (flag resync without modseqs, NOOP polling, COPY + EXPUNGE).
  put "$DC_NOCS_CONF" <<EOF
# generated by mailservers.sh
instance_name = sb-mail-nocs
base_dir = $RUN/dovecot-nocs
state_dir = $MAIL_ROOT/lib/dovecot-nocs
log_path = $LOG/dovecot-nocs.log
protocols = imap
ssl = no
!include $ETC/dovecot/common.conf
imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH BINARY LITERAL+ SPECIAL-USE
service imap-login {
  inet_listener imap {
    address = $LISTEN
    port = $IMAP_NOCS_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF

  # ---- Postfix (own config_directory / queue_directory, no chroot, log to file)
  put "$PF_CONF/main.cf" <<EOF
# generated by mailservers.sh
compatibility_level = 3.6
queue_directory = $PF_QUEUE
data_directory = $MAIL_ROOT/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $LOG/postfix.log
maillog_file_prefixes = $LOG
myhostname = mail.$MAIL_DOMAIN
mydomain = $MAIL_DOMAIN
myorigin = \$mydomain
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = $LISTEN
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
smtpd_banner = \$myhostname ESMTP probe
biff = no
append_dot_mydomain = no
readme_directory = no
smtputf8_enable = no
virtual_mailbox_domains = $MAIL_DOMAIN
virtual_mailbox_maps = texthash:$PF_CONF/vmailbox
virtual_transport = lmtp:unix:$RUN/dovecot-lmtp
virtual_alias_maps = regexp:$PF_CONF/catchall.regexp
virtual_alias_domains =
recipient_delimiter = +
sender_bcc_maps = regexp:$PF_CONF/sent_bcc.regexp
lmtp_destination_recipient_limit = 100
# mail to other domains never leaves the box: smtpd rejects such RCPT TO with 550
# (unless MAIL_CATCHALL rewrites them to a local mailbox via virtual_alias_maps)
default_transport = error:outbound delivery disabled on this test server
relay_transport = \$default_transport
smtpd_sasl_type = dovecot
smtpd_sasl_path = $RUN/dovecot-auth
smtpd_sasl_auth_enable = no
smtpd_tls_cert_file = $ETC/tls/cert.pem
smtpd_tls_key_file = $ETC/tls/key.pem
smtpd_tls_security_level = none
message_size_limit = 52428800
smtpd_client_connection_rate_limit = 0
smtpd_error_sleep_time = 0
EOF

  local smtps=""
  if [[ "$MAIL_TLS" == 1 ]]; then
    smtps="$LISTEN:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
  fi
  put "$PF_CONF/master.cf" <<EOF
# generated by mailservers.sh - no chroot anywhere
$LISTEN:$SMTP_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$smtps
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# ---------------------------------------------------------------- start/stop
start_dovecot() { # conf pidfile name reload(0|1)
  if pid_alive "$2"; then
    if [[ "${4:-1}" == 1 ]]; then
      log "$3 already running (pid $(tr -d ' \n' < "$2")), config changed: reloading"
      doveadm -c "$1" reload </dev/null >/dev/null 2>&1 || true
    fi
    return 0
  fi
  rm -f "$2" # stale pid file: dovecot would refuse to start if its pid now belongs to another process
  run_detached "$LOG/$3.stderr" dovecot -c "$1" || die "$3 failed to start, see $LOG/"
}

start_postfix() { # reload(0|1)
  if pid_alive "$PF_PID"; then
    if [[ "${1:-1}" == 1 ]]; then
      log "postfix already running (pid $(tr -d ' \n' < "$PF_PID")), config changed: reloading"
      postfix -c "$PF_CONF" reload </dev/null >/dev/null 2>&1 || true
    fi
    return 0
  fi
  rm -f "$PF_PID"
  # Fast path (~0.3 s): create missing queue dirs + sanity checks, then start master
  # directly. 'postfix start' does the same plus the slow 'check-warn' scan (~1.5 s).
  if ! { run_detached "$LOG/postfix-start.log" postfix -c "$PF_CONF" check-fatal \
    && run_detached "$LOG/postfix-start.log" /usr/lib/postfix/sbin/master -c "$PF_CONF" -w; }; then
    run_detached "$LOG/postfix-start.log" postfix -c "$PF_CONF" start \
      || die "postfix failed to start, see $LOG/postfix.log (postfix only logs fatal errors there or to a tty)"
  fi
}

# SIGTERM every master at once, then wait (Dovecot's master alone takes ~1.1 s: it sleeps 1 s
# after signalling its log process). SIGKILL after 10 s.
stop_pidfiles() { # name:pidfile ...
  local n pid i pids=() names=()
  for n in "$@"; do
    if pid_alive "${n#*:}"; then
      pid=$(tr -d ' \n' < "${n#*:}"); kill -TERM "$pid" && pids+=("$pid") && names+=("${n%%:*}")
    else log "${n%%:*} not running"; fi
  done
  for ((i = 0; i < ${#pids[@]}; i++)); do
    local k
    for ((k = 0; k < 200; k++)); do running "${pids[i]}" || break; sleep 0.05; done
    if running "${pids[i]}"; then log "${names[i]} (pid ${pids[i]}) did not stop in 10 s, sending KILL"; kill -KILL "${pids[i]}" 2>/dev/null || true
    else log "${names[i]} stopped (pid ${pids[i]})"; fi
  done
}

wait_dovecot_sockets() { # Postfix needs dovecot's auth + lmtp sockets to exist
  local i
  for ((i = 0; i < 100; i++)); do [[ -S "$RUN/dovecot-auth" && -S "$RUN/dovecot-lmtp" ]] && break; sleep 0.05; done
}

do_start() {
  mkdir -p "$LOG"
  rm -f "$SMTP_STOPPED_MARK"
  install_pkgs
  local before after reload=1 p
  before=$(config_hash)
  local nocs_before
  nocs_before=$(cksum < "$DC_NOCS_CONF" 2>/dev/null || true)
  write_config
  after=$(config_hash)
  [[ "$before" == "$after" ]] && reload=0
  start_dovecot "$DC_CONF" "$DC_PID" dovecot "$reload"
  if [[ "$MAIL_TLS" == 1 ]]; then start_dovecot "$DC_TLS_CONF" "$DC_TLS_PID" dovecot-tls "$reload"; fi
  # Its config is not in config_hash: bringing it up (or changing it) never reloads the other daemons.
  if [[ "$IMAP_NOCS_PORT" != 0 ]]; then
    local nocs_reload=1
    [[ "$nocs_before" == "$(cksum < "$DC_NOCS_CONF")" ]] && nocs_reload=0
    start_dovecot "$DC_NOCS_CONF" "$DC_NOCS_PID" dovecot-nocs "$nocs_reload"
  fi
  wait_dovecot_sockets
  start_postfix "$reload"
  for p in $(all_ports); do wait_port "$p" 10 || die "port $p not listening after 10 s, see $LOG/"; done
  do_status
}

do_stop() {
  stop_pidfiles "postfix:$PF_PID" "dovecot-nocs:$DC_NOCS_PID" "dovecot-tls:$DC_TLS_PID" "dovecot:$DC_PID"
}

do_stop_smtp() {
  local p
  mkdir -p "$RUN" && date +%s > "$SMTP_STOPPED_MARK"
  stop_pidfiles "postfix:$PF_PID"
  # smtpd children hold a copy of the listening socket until they have exited
  for p in $(smtp_ports); do wait_port_closed "$p" 10 || die "port $p still listening 10 s after stopping postfix"; done
}

do_start_smtp() {
  rm -f "$SMTP_STOPPED_MARK"
  if ! pid_alive "$DC_PID" || [[ ! -s "$PF_CONF/main.cf" ]]; then
    log "dovecot not running: full start"
    do_start >/dev/null
    return
  fi
  wait_dovecot_sockets
  start_postfix 0
  local p
  for p in $(smtp_ports); do wait_port "$p" 10 || die "port $p not listening after 10 s, see $LOG/"; done
  log "postfix running (pid $(tr -d ' \n' < "$PF_PID"))"
}

# root-only subcommands: as another user, re-run through sudo (non-interactive) if possible
need_root() {
  [[ $EUID -eq 0 ]] && return 0
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    export MAIL_ROOT # resolved here: sudo resets TMPDIR
    exec sudo -n --preserve-env=MAIL_ROOT,MAIL_DOMAIN,MAIL_USERS,IMAP_PORT,IMAPS_PORT,IMAPSTARTTLS_PORT,IMAP_NOCS_PORT,SMTP_PORT,SMTPS_PORT,LMTP_PORT,MAIL_TLS,MAIL_INSTALL,MAIL_CATCHALL,MAIL_SERVER_SENT,MAIL_EXTRA_PKGS \
      bash "${BASH_SOURCE[0]}" "$@"
  fi
  die "must run as root (or with passwordless sudo)"
}

do_status() {
  local n bad=0
  for n in "dovecot:$DC_PID:$IMAP_PORT" "dovecot-tls:$DC_TLS_PID:$IMAPS_PORT" "dovecot-nocs:$DC_NOCS_PID:$IMAP_NOCS_PORT" "postfix:$PF_PID:$SMTP_PORT"; do
    local name=${n%%:*} rest=${n#*:}
    local pidf=${rest%:*} port=${rest##*:}
    n="$name:$pidf"
    if pid_alive "$pidf"; then echo "$name: running pid $(tr -d ' \n' < "$pidf")"
    elif [[ $EUID -ne 0 ]] && port_open "$port"; then
      echo "$name: running (port $port listening; pid files are readable by root only)"
    else
      echo "${n%%:*}: stopped"
      [[ ( "${n%%:*}" == dovecot-tls && "$MAIL_TLS" != 1 ) || ( "${n%%:*}" == dovecot-nocs && "$IMAP_NOCS_PORT" == 0 ) ]] || bad=1
    fi
  done
  echo "IMAP      $LISTEN:$IMAP_PORT (plain, no STARTTLS)"
  if [[ "$MAIL_TLS" == 1 ]]; then
    echo "IMAPS     $LISTEN:$IMAPS_PORT (implicit TLS, self-signed: $ETC/tls/cert.pem)"
    echo "IMAP-STARTTLS $LISTEN:$IMAPSTARTTLS_PORT (STARTTLS required)"
  fi
  if [[ "$IMAP_NOCS_PORT" != 0 ]]; then echo "IMAP-NOCS $LISTEN:$IMAP_NOCS_PORT (plain, no CONDSTORE/QRESYNC/IDLE/MOVE)"; fi
  echo "SMTP      $LISTEN:$SMTP_PORT (AUTH PLAIN/LOGIN required, no STARTTLS)"
  if [[ "$MAIL_TLS" == 1 ]]; then echo "SMTPS     $LISTEN:$SMTPS_PORT (implicit TLS, AUTH required)"; fi
  echo "LMTP      $LISTEN:$LMTP_PORT (Dovecot, no auth)"
  if [[ -n "$MAIL_CATCHALL" ]]; then echo "catch-all non-local recipients -> $MAIL_CATCHALL@$MAIL_DOMAIN"
  else echo "non-local recipients rejected (550)"; fi
  echo "users     $(for u in $MAIL_USERS; do printf '%s@%s/%s ' "${u%%:*}" "$MAIL_DOMAIN" "${u#*:}"; done)"
  echo "maildirs  $MAILDIRS/<user@domain>/Maildir  (owner $VMAIL_USER)"
  echo "logs      $LOG"
  return $bad
}

do_env() {
  local u i=0
  cat <<EOF
MAIL_ROOT=$MAIL_ROOT
MAIL_HOST=$LISTEN
MAIL_IMAP_PORT=$IMAP_PORT
MAIL_IMAPS_PORT=$IMAPS_PORT
MAIL_IMAP_STARTTLS_PORT=$IMAPSTARTTLS_PORT
MAIL_IMAP_NOCS_PORT=$IMAP_NOCS_PORT
MAIL_SMTP_PORT=$SMTP_PORT
MAIL_SMTPS_PORT=$SMTPS_PORT
MAIL_LMTP_PORT=$LMTP_PORT
MAIL_DOMAIN=$MAIL_DOMAIN
MAIL_CA_FILE=$ETC/tls/cert.pem
MAIL_MAILDIRS=$MAILDIRS
MAIL_DOVEADM="doveadm -c $DC_CONF"
EOF
  for u in $MAIL_USERS; do
    i=$((i + 1))
    printf 'MAIL_USER%d=%s@%s\nMAIL_PASS%d=%q\n' "$i" "${u%%:*}" "$MAIL_DOMAIN" "$i" "${u#*:}"
  done
}

CMD="${1:-start}"
case "$CMD" in
  start|stop|restart|reset-mail|stop-smtp|start-smtp)
    need_root "$CMD"
    # one mutating invocation at a time (parallel test workers may all call `start`); fd 9 is
    # closed for every daemon and apt-get so none of them keeps holding the lock
    mkdir -p "$MAIL_ROOT"
    if command -v flock >/dev/null; then
      exec 9>"$MAIL_ROOT/.lock"
      flock -w 1200 9 || die "another mailservers.sh held $MAIL_ROOT/.lock for 20 min"
    fi ;;
esac
case "$CMD" in
  start) do_start ;;
  stop) do_stop ;;
  stop-smtp) do_stop_smtp ;;
  start-smtp) do_start_smtp ;;
  restart) do_stop; do_start ;;
  status) do_status ;;
  env) do_env ;;
  reset-mail)
    do_stop
    rm -rf "${MAILDIRS:?}"/* "$MAIL_ROOT/lib/dovecot" "$MAIL_ROOT/lib/dovecot-tls" "$PF_QUEUE"
    log "mailboxes and queue wiped" ;;
  *) echo "usage: $0 [start|stop|restart|status|env|reset-mail|stop-smtp|start-smtp]" >&2; exit 2 ;;
esac
