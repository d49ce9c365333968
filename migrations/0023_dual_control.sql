-- Dual control (workflow/dual-control.ts): the organisations' thresholds per action and currency, the requests waiting
-- for a checker, and the platform's built-in flow a checker decides on when neither the organisation nor the operator
-- published one of their own — one 复核 step by an approver of the maker's organisation.
CREATE TABLE "dual_control_rules" (
	"org_id" uuid NOT NULL,
	"action" text NOT NULL,
	"currency" text NOT NULL,
	"threshold_minor" bigint NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dual_control_rules_pk" PRIMARY KEY("org_id","action","currency"),
	CONSTRAINT "dual_control_rules_threshold" CHECK ("dual_control_rules"."threshold_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dual_control_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"action" text NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"threshold_minor" bigint,
	"payload" jsonb NOT NULL,
	"ref_type" text NOT NULL,
	"ref_id" text NOT NULL,
	"subject_org_id" uuid,
	"title" text NOT NULL,
	"maker_user_id" uuid NOT NULL,
	"checker_user_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"case_id" uuid,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "dual_control_requests_status" CHECK ("dual_control_requests"."status" in ('pending','approved','rejected','returned','cancelled')),
	CONSTRAINT "dual_control_requests_amount" CHECK ("dual_control_requests"."amount_minor" >= 0),
	CONSTRAINT "dual_control_requests_four_eyes" CHECK ("dual_control_requests"."checker_user_id" is null or "dual_control_requests"."checker_user_id" <> "dual_control_requests"."maker_user_id")
);
--> statement-breakpoint
CREATE INDEX "dual_control_requests_org_idx" ON "dual_control_requests" USING btree ("org_id","status","created_at");
--> statement-breakpoint
CREATE INDEX "dual_control_requests_ref_idx" ON "dual_control_requests" USING btree ("ref_type","ref_id");
--> statement-breakpoint
INSERT INTO "workflow_definitions" ("id", "org_id", "key", "name", "version", "status", "definition", "created_by", "published_at")
VALUES (
	'00000000-0000-7000-8000-00000000dc01',
	'00000000-0000-0000-0000-000000000000',
	'dual_control_approval',
	'复核（双人控制）',
	1,
	'published',
	'{"steps":[{"key":"check","name":"复核","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":24}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
);
