-- 保兑仓's approval flows as built-in defaults (the last resort after the bank's own published flow of the same key,
-- and the operator's): 建网 (cs_network) by two of the bank's approvers, 经销商入网 (cs_dealer_admission) and 经销商授信
-- (cs_dealer_credit) by one. A bank configures its own by publishing a flow with the same key.
INSERT INTO "workflow_definitions" ("id", "org_id", "key", "name", "version", "status", "definition", "created_by", "published_at")
VALUES (
	'00000000-0000-7000-8000-00000000c501',
	'00000000-0000-0000-0000-000000000000',
	'cs_network',
	'保兑仓建网审批（两级）',
	1,
	'published',
	'{"steps":[{"key":"first_review","name":"初审","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":24},{"key":"second_review","name":"复审","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":48}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
), (
	'00000000-0000-7000-8000-00000000c502',
	'00000000-0000-0000-0000-000000000000',
	'cs_dealer_admission',
	'保兑仓经销商入网审批',
	1,
	'published',
	'{"steps":[{"key":"review","name":"入网审核","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":24}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
), (
	'00000000-0000-7000-8000-00000000c503',
	'00000000-0000-0000-0000-000000000000',
	'cs_dealer_credit',
	'保兑仓经销商授信审批',
	1,
	'published',
	'{"steps":[{"key":"review","name":"授信审批","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":48}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
);
