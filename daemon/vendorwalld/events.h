/* SPDX-License-Identifier: GPL-2.0-only */
/* The events ring: alerts and inventory rows. */
#ifndef VWD_EVENTS_H
#define VWD_EVENTS_H

#include "vwd.h"

int vwd_on_event(void *ctx, void *data, size_t size);
int vwd_on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata);
int vwd_on_samples(sd_event_source *s, int fd, uint32_t revents, void *userdata);
/* One bounded batch of events (throttle.h), in one inventory transaction. */
void vwd_consume_events(struct daemon *d);

#endif
