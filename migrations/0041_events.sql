-- Events: the facts a party's own systems hear of, from a transactional outbox. A module publishes an event in the
-- transaction of the write it reports (one row per receiving organisation, so each sees only its part); the
-- statement trigger below queues a delivery for every active webhook endpoint of that organisation subscribed to the
-- type, in the same transaction — a rolled-back write leaves no event and no delivery, a committed one both.
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"business_date" date NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	-- the writing transaction: the feed hands out an event only once every transaction that began before it has
	-- ended, so a cursor never skips an event committed late with a smaller position
	"tx" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"dedupe_key" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "events_dedupe_key" ON "events" ("org_id", "dedupe_key");
--> statement-breakpoint
CREATE INDEX "events_feed_idx" ON "events" ("org_id", "tx", "seq");
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "webhook_endpoints_org_idx" ON "webhook_endpoints" ("org_id");
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints" ("id"),
	"event_id" uuid NOT NULL REFERENCES "events" ("id"),
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"replay_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_status" CHECK ("status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" ("endpoint_id", "created_at");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" ("event_id");
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL REFERENCES "webhook_deliveries" ("id"),
	"org_id" uuid NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" ("delivery_id", "attempted_at");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (org_id, endpoint_id, event_id)
  SELECT e.org_id, w.id, e.id
    FROM new_events e
    JOIN webhook_endpoints w ON w.org_id = e.org_id AND w.active AND (e.type = ANY (w.event_types) OR '*' = ANY (w.event_types));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_fan_out" AFTER INSERT ON "events" REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION events_fan_out();
