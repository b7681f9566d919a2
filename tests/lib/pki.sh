# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by tests that serve HTTPS on 127.0.0.1: a throw-away CA and a server certificate.

# vw_make_pki DIR: DIR/ca.pem (+ ca.key), a test CA valid for a day, and DIR/srv.pem +
# DIR/srv.key, the server's certificate for IP 127.0.0.1 signed by it.
vw_make_pki() {
	local d=$1
	mkdir -p "$d" &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=vw test CA" \
			-keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null &&
		openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
			-keyout "$d/srv.key" -out "$d/srv.csr" 2>/dev/null &&
		printf 'subjectAltName=IP:127.0.0.1\n' >"$d/ext" &&
		openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
			-CAcreateserial -days 1 -extfile "$d/ext" -out "$d/srv.pem" 2>/dev/null
}
