/* SPDX-License-Identifier: GPL-2.0-only */
/* Confidence of a piece of evidence or of a verdict: a probability in
 * [0, 1], with one set of levels and one way of writing it. */
#ifndef VW_CONFIDENCE_H
#define VW_CONFIDENCE_H

/* The levels of fingerprint rules (Confidence=high|medium|low). */
#define VW_CONF_HIGH   0.9
#define VW_CONF_MEDIUM 0.7
#define VW_CONF_LOW    0.3
/* A restricted vendor's IEEE block: as strong as one high signal, so the
 * OUI alone identifies a device at the default threshold. */
#define VW_CONF_OUI    VW_CONF_HIGH

/* "0.90": two decimals, in the journal (VW_CONFIDENCE), JSON and the CLI.
 * Below 1 never prints as "1.00": combined evidence is never certainty. */
#define VW_CONF_STRLEN 8
const char *vw_conf_format(double c, char buf[VW_CONF_STRLEN]);

/* The inventory keeps whole percent (0..100), rounded as the text is. */
unsigned vw_conf_percent(double c);
double vw_conf_from_percent(unsigned p);

#endif
