/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the Tessera scheduler (events/tessera/ in tracefs):
 * every switch in and out of an engine, every submission and completion,
 * and every reset of a client. Used by bench/ for the timeline and the
 * slice statistics, and usable with trace-cmd and perf:
 *
 *   trace-cmd record -e tessera ...
 *   perf record -e 'tessera:*' ...
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tessera

#if !defined(_TESSERA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TESSERA_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(tessera_switch_in,
	    TP_PROTO(int dev, u32 engine, u32 ctx, u64 wait_ns, u32 weight),
	    TP_ARGS(dev, engine, ctx, wait_ns, weight),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, engine)
			     __field(u32, ctx)
			     __field(u64, wait_ns)
			     __field(u32, weight)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->ctx = ctx;
			   __entry->wait_ns = wait_ns;
			   __entry->weight = weight;),
	    TP_printk("dev=%d engine=%u ctx=%u wait_ns=%llu weight=%u",
		      __entry->dev, __entry->engine, __entry->ctx,
		      __entry->wait_ns, __entry->weight)
);

TRACE_EVENT(tessera_switch_out,
	    TP_PROTO(int dev, u32 engine, u32 ctx, u64 ran_ns, u64 busy_ns,
		     u64 due_ns, u64 late_ns, u64 over_ns, u32 reason),
	    TP_ARGS(dev, engine, ctx, ran_ns, busy_ns, due_ns, late_ns, over_ns,
		    reason),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, engine)
			     __field(u32, ctx)
			     __field(u64, ran_ns)
			     __field(u64, busy_ns)
			     __field(u64, due_ns)
			     __field(u64, late_ns)
			     __field(u64, over_ns)
			     __field(u32, reason)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->ctx = ctx;
			   __entry->ran_ns = ran_ns;
			   __entry->busy_ns = busy_ns;
			   __entry->due_ns = due_ns;
			   __entry->late_ns = late_ns;
			   __entry->over_ns = over_ns;
			   __entry->reason = reason;),
	    TP_printk("dev=%d engine=%u ctx=%u ran_ns=%llu busy_ns=%llu due_ns=%llu late_ns=%llu over_ns=%llu reason=%s",
		      __entry->dev, __entry->engine, __entry->ctx,
		      __entry->ran_ns, __entry->busy_ns, __entry->due_ns,
		      __entry->late_ns, __entry->over_ns,
		      __print_symbolic(__entry->reason,
				       { 0, "preempt" }, { 1, "drained" },
				       { 2, "fault" }, { 3, "hang" },
				       { 4, "timeout" }, { 5, "quiesce" }))
);

TRACE_EVENT(tessera_submit,
	    TP_PROTO(int dev, u32 engine, u32 ctx, u64 seqno, u32 ndw),
	    TP_ARGS(dev, engine, ctx, seqno, ndw),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, engine)
			     __field(u32, ctx)
			     __field(u64, seqno)
			     __field(u32, ndw)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->ctx = ctx;
			   __entry->seqno = seqno;
			   __entry->ndw = ndw;),
	    TP_printk("dev=%d engine=%u ctx=%u seqno=%llu dwords=%u",
		      __entry->dev, __entry->engine, __entry->ctx,
		      __entry->seqno, __entry->ndw)
);

TRACE_EVENT(tessera_complete,
	    TP_PROTO(int dev, u32 engine, u32 ctx, u64 seqno),
	    TP_ARGS(dev, engine, ctx, seqno),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, engine)
			     __field(u32, ctx)
			     __field(u64, seqno)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->ctx = ctx;
			   __entry->seqno = seqno;),
	    TP_printk("dev=%d engine=%u ctx=%u seqno=%llu",
		      __entry->dev, __entry->engine, __entry->ctx, __entry->seqno)
);

TRACE_EVENT(tessera_client_reset,
	    TP_PROTO(int dev, u32 engine, u32 ctx, u32 code, u32 ring_head),
	    TP_ARGS(dev, engine, ctx, code, ring_head),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, engine)
			     __field(u32, ctx)
			     __field(u32, code)
			     __field(u32, ring_head)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->ctx = ctx;
			   __entry->code = code;
			   __entry->ring_head = ring_head;),
	    TP_printk("dev=%d engine=%u ctx=%u code=0x%x head=0x%x",
		      __entry->dev, __entry->engine, __entry->ctx,
		      __entry->code, __entry->ring_head)
);

#endif /* _TESSERA_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tessera_trace
#include <trace/define_trace.h>
