/**
 * Stable error codes with their HTTP status and zh-CN / en messages.
 *
 * The catalogue is one object typed `Record<code, …>`, so adding a code without both messages does not
 * compile. Codes are API: never rename one; add a new one instead. Messages may use {placeholders} that are
 * filled from the error's details.
 */

interface ErrorSpec {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 500 | 503;
  readonly zh: string;
  readonly en: string;
}

export const ERROR_CATALOG = {
  // --- request & platform ---------------------------------------------------------------------------
  VALIDATION_FAILED: { status: 400, zh: '请求参数校验失败', en: 'The request failed validation' },
  INVALID_AMOUNT: { status: 400, zh: '金额格式不正确：{value}', en: 'Invalid amount: {value}' },
  AMOUNT_OUT_OF_RANGE: { status: 400, zh: '金额超出允许范围', en: 'Amount is out of the allowed range' },
  CURRENCY_MISMATCH: { status: 400, zh: '币种不一致：{left} 与 {right}', en: 'Currency mismatch: {left} vs {right}' },
  INVALID_ALLOCATION: { status: 400, zh: '分配比例不正确', en: 'Invalid allocation weights' },
  INVALID_RATE: { status: 400, zh: '利率/比例格式不正确：{value}', en: 'Invalid rate: {value}' },
  INVALID_DATE: { status: 400, zh: '日期格式不正确（应为 YYYY-MM-DD）：{value}', en: 'Invalid date (expected YYYY-MM-DD): {value}' },
  NOT_FOUND: { status: 404, zh: '对象不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '上传内容超过大小限制', en: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported media type' },
  INTERNAL_ERROR: { status: 500, zh: '系统内部错误，请稍后再试', en: 'Internal error, please retry later' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
  CONCURRENT_UPDATE: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'The data was changed concurrently; reload and retry' },
  ORIGIN_NOT_ALLOWED: { status: 403, zh: '请求来源不被允许', en: 'Request origin not allowed' },

  // --- idempotency ----------------------------------------------------------------------------------
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: 'Idempotency-Key 格式不正确（1–200 个可见字符）',
    en: 'Invalid Idempotency-Key (1–200 printable characters)',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '同一 Idempotency-Key 已用于不同的请求内容',
    en: 'This Idempotency-Key was already used with a different request',
  },
  IDEMPOTENCY_IN_FLIGHT: {
    status: 409,
    zh: '相同 Idempotency-Key 的请求正在处理中',
    en: 'A request with this Idempotency-Key is still in progress',
  },

  // --- identity -------------------------------------------------------------------------------------
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; the account is locked for {minutes} minutes',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'This account is disabled' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'This username is already taken' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码至少 10 位，且须包含字母和数字',
    en: 'Passwords need at least 10 characters with letters and digits',
  },
  INVALID_API_TOKEN: { status: 401, zh: 'API 令牌无效或已吊销', en: 'The API token is invalid or revoked' },
  RATE_LIMITED: {
    status: 429,
    zh: '来自该地址的请求过于频繁，请 {retryAfter} 秒后再试',
    en: 'Too many requests from this address; retry in {retryAfter} seconds',
  },
  // --- events and webhooks (events module) ---
  SEARCH_TERM_INVALID: {
    status: 400,
    zh: '搜索词不能为空，且不超过 {max} 个字符',
    en: 'The search term must not be empty and have at most {max} characters',
  },
  EVENT_TYPE_UNKNOWN: { status: 400, zh: '未知的事件类型：{type}', en: 'Unknown event type: {type}' },
  EVENT_CURSOR_INVALID: { status: 400, zh: '事件游标无效：{cursor}', en: 'Invalid event cursor: {cursor}' },
  WEBHOOK_URL_INVALID: {
    status: 400,
    zh: 'Webhook 地址须为 http(s) 完整地址：{url}',
    en: 'A webhook URL must be an absolute http(s) URL: {url}',
  },
  WEBHOOK_DELIVERY_PENDING: {
    status: 409,
    zh: '该推送尚在投递中，无需重放',
    en: 'The delivery is still pending; there is nothing to replay yet',
  },
  CANNOT_CHANGE_OWN_ROLES: { status: 400, zh: '不能修改自己的角色或停用自己', en: 'You cannot change your own roles or disable yourself' },

  // --- parties --------------------------------------------------------------------------------------
  INVALID_CREDIT_CODE: { status: 400, zh: '统一社会信用代码不正确：{reason}', en: 'Invalid unified social credit code: {reason}' },
  CREDIT_CODE_TAKEN: { status: 409, zh: '该统一社会信用代码已登记', en: 'This unified social credit code is already registered' },
  PARTY_TYPE_NOT_ALLOWED: { status: 400, zh: '当前机构不能创建该类型的参与方', en: 'Your organisation cannot create a party of this type' },
  RELATIONSHIP_EXISTS: { status: 409, zh: '该关系已存在', en: 'This relationship already exists' },
  RELATIONSHIP_INVALID: { status: 400, zh: '关系不合法：{reason}', en: 'Invalid relationship: {reason}' },
  ATTACHMENT_TYPE_NOT_ALLOWED: { status: 415, zh: '不支持的附件类型：{type}', en: 'Attachment type not allowed: {type}' },
  ATTACHMENT_TOO_LARGE: { status: 413, zh: '附件超过 {maxMb} MB 限制', en: 'Attachment exceeds the {maxMb} MB limit' },
  STATEMENT_PERIOD_EXISTS: { status: 409, zh: '该期间的财务报表已存在', en: 'A financial statement for this period already exists' },
  STATEMENT_UNBALANCED: {
    status: 400,
    zh: '资产负债表不平：资产 {assets} ≠ 负债 {liabilities} + 所有者权益 {equity}',
    en: 'Balance sheet does not balance: assets {assets} ≠ liabilities {liabilities} + equity {equity}',
  },
  PARTY_BLACKLISTED: { status: 409, zh: '该参与方已被列入黑名单', en: 'This party is blacklisted' },

  // --- ledger -----------------------------------------------------------------------------------------
  LEDGER_BATCH_TOO_LARGE: { status: 400, zh: '单批最多 {max} 笔转账', en: 'A batch holds at most {max} transfers' },
  LEDGER_ACCOUNT_NOT_OWNED: { status: 404, zh: '账户不存在或不属于本机构', en: 'No such account of your organisation' },

  // --- credit lines -----------------------------------------------------------------------------------
  ILLEGAL_TRANSITION: { status: 409, zh: '当前状态（{from}）不允许执行“{action}”', en: 'Cannot {action} while {from}' },
  CREDIT_LINE_FROZEN: { status: 409, zh: '额度已冻结，不能占用', en: 'The credit line is frozen' },
  CREDIT_LINE_EXPIRED: { status: 409, zh: '额度已到期', en: 'The credit line has expired' },
  CREDIT_LINE_CLEARED: { status: 409, zh: '额度已清零', en: 'The credit line has been cleared' },
  CREDIT_LINE_NOT_ACTIVE: { status: 409, zh: '额度尚未生效', en: 'The credit line is not active yet' },
  CREDIT_INSUFFICIENT_AVAILABLE: { status: 409, zh: '可用额度不足', en: 'Not enough available credit' },
  CREDIT_PRODUCT_NOT_ALLOWED: { status: 409, zh: '该额度不能用于产品 {product}', en: 'This credit line cannot be used for {product}' },
  CREDIT_CHANGE_PENDING: { status: 409, zh: '该额度已有待复核的变更', en: 'A change of this credit line is already waiting for approval' },
  CREDIT_CHANGE_NOT_PENDING: { status: 409, zh: '该变更已处理（{status}）', en: 'This change was already decided ({status})' },
  MAKER_CHECKER_SAME_USER: { status: 403, zh: '经办人不能复核自己提交的业务', en: 'The maker cannot approve their own submission' },
  CREDIT_VALIDITY_INVALID: { status: 400, zh: '额度有效期不正确：{reason}', en: 'Invalid validity: {reason}' },
  CREDIT_ALLOCATION_INVALID: { status: 400, zh: '额度分配不合法：{reason}', en: 'Invalid allocation: {reason}' },
  CREDIT_LINE_NOT_REVOLVING: { status: 409, zh: '非循环额度，还款后不恢复额度', en: 'A one-off line is not restored by repayment' },
  CREDIT_RESTORE_EXCEEDS_USED: { status: 409, zh: '恢复金额超过已用未恢复金额', en: 'Restoring more than was used and not yet restored' },
  CREDIT_OCCUPATION_NOT_OPEN: { status: 409, zh: '该占用已处理（{state}）', en: 'This occupation is no longer open ({state})' },

  // --- products ---------------------------------------------------------------------------------------
  PRODUCT_CODE_TAKEN: { status: 409, zh: '产品编码已存在', en: 'This product code is already used' },
  PRODUCT_VERSION_PUBLISHED: {
    status: 409,
    zh: '已发布的产品版本不可修改，请新建版本',
    en: 'A published product version cannot be edited; create a new version',
  },
  PRODUCT_NOT_PUBLISHED: { status: 409, zh: '产品未发布', en: 'The product is not published' },
  PRODUCT_TERMS_INVALID: { status: 400, zh: '产品要素不合法', en: 'Invalid product terms' },

  // --- workflow ---------------------------------------------------------------------------------------
  WORKFLOW_NOT_FOUND: { status: 409, zh: '未配置审批流程 {key}', en: 'No published approval flow {key}' },
  WORKFLOW_DEFINITION_INVALID: { status: 400, zh: '流程定义不合法：{reason}', en: 'Invalid flow definition: {reason}' },
  WORKFLOW_CASE_PENDING: { status: 409, zh: '该业务已在审批中，不能重复提交', en: 'This item is already being approved' },
  WORKFLOW_TASK_CLOSED: { status: 409, zh: '该待办已处理', en: 'This task has already been decided' },
  WORKFLOW_NOT_ELIGIBLE: {
    status: 403,
    zh: '您不能处理该待办：{reason}（经办人、尽职调查人和已审批其他环节的人不能审批）',
    en: 'You cannot decide this task: {reason} (its maker, whoever prepared it and approvers of its other steps cannot)',
  },
  DUAL_CONTROL_ACTION_UNKNOWN: { status: 400, zh: '没有名为 {action} 的双人复核业务', en: 'No dual-control action {action}' },
  DUAL_CONTROL_REQUEST_NOT_PENDING: {
    status: 409,
    zh: '该复核申请已处理（{status}）',
    en: 'This request for a checker was already decided ({status})',
  },
  DUAL_CONTROL_MAKER_INACTIVE: {
    status: 409,
    zh: '经办人已不再是本机构的有效用户，请退回该申请',
    en: 'The maker is no longer an active user of the organisation; reject the request',
  },

  // --- financing --------------------------------------------------------------------------------------
  AMOUNT_OUTSIDE_PRODUCT: { status: 400, zh: '金额超出产品范围 {min}–{max}', en: 'Amount outside the product range {min}–{max}' },
  TERM_OUTSIDE_PRODUCT: { status: 400, zh: '期限超出产品范围 {min}–{max} 个月', en: 'Term outside the product range {min}–{max} months' },
  DOCUMENTS_MISSING: { status: 409, zh: '缺少必备材料：{missing}', en: 'Required documents missing: {missing}' },
  CREDIT_LINE_REQUIRED: { status: 400, zh: '该产品需要占用授信额度，请选择额度', en: 'This product draws on a credit line; choose one' },
  CREDIT_LINE_UNSUITABLE: {
    status: 409,
    zh: '该额度不能用于此产品（须为申请人持有、由产品资金方授予、币种一致）',
    en: 'This credit line cannot be used for the product (it must be held by the applicant, granted by the product’s funder, in its currency)',
  },
  DRAWDOWN_EXCEEDS_APPROVED: {
    status: 409,
    zh: '支用金额超过批复可用金额 {available}',
    en: 'Drawdown exceeds the approved amount still available ({available})',
  },
  CONTRACT_NOT_SIGNED: { status: 409, zh: '合同尚未签署', en: 'The contract is not signed yet' },
  INSUFFICIENT_FUNDS: { status: 409, zh: '账户余额不足', en: 'Insufficient funds in the settlement account' },
  NOTHING_DUE: { status: 409, zh: '当前无应还款项', en: 'Nothing is due' },
  REPAYMENT_EXCEEDS_OWED: {
    status: 409,
    zh: '还款金额 {amount} 超过借据尚欠总额 {owed}（已扣除待审批的线下还款）',
    en: 'The amount {amount} is more than the loan still owes ({owed}, after off-platform repayments awaiting approval)',
  },
  PAYMENT_REFERENCE_TAKEN: {
    status: 409,
    zh: '银行流水号 {reference} 已登记，同一笔到账不能重复入账',
    en: 'Bank reference {reference} is already recorded; the same receipt cannot be booked twice',
  },
  LOAN_NOT_REPAYABLE: { status: 409, zh: '借据状态为 {status}，不能登记还款', en: 'The loan is {status}; no repayment can be recorded' },
  EOD_RUNNING: { status: 409, zh: '日终批处理正在运行', en: 'End-of-day is already running' },
  EOD_DATE_INVALID: {
    status: 409,
    zh: '只能对当前营业日期 {expected} 做日终',
    en: 'End-of-day can only close the current business date {expected}',
  },
  CLASSIFICATION_REASON_REQUIRED: { status: 400, zh: '人工调整五级分类须填写原因', en: 'A manual classification needs a reason' },

  // --- receivables and factoring ----------------------------------------------------------------------
  DOCUMENT_NO_TAKEN: { status: 409, zh: '单据号 {docNo} 已存在', en: 'Document number {docNo} already exists' },
  IMPORT_REJECTED: {
    status: 400,
    zh: '导入失败：{errors} 行有错误，未写入任何数据',
    en: 'Import refused: {errors} rows have errors; nothing was written',
  },
  IMPORT_FILE_INVALID: { status: 400, zh: '无法读取导入文件：{reason}', en: 'Cannot read the import file: {reason}' },
  RECEIVABLE_NOT_CONFIRMED: { status: 409, zh: '应收账款未经确权', en: 'The receivable is not confirmed by the debtor' },
  RECEIVABLE_ENCUMBERED: {
    status: 409,
    zh: '应收账款已转让、质押或用于开立凭证',
    en: 'The receivable is already assigned, pledged or backing a certificate',
  },
  RECEIVABLE_PARTLY_SETTLED: {
    status: 409,
    zh: '应收账款已由凭证兑付部分金额，不能整笔转让或质押',
    en: 'A certificate has paid part of this receivable; it cannot be assigned or pledged whole',
  },
  FACTORING_STATE: { status: 409, zh: '保理业务当前状态（{status}）不允许该操作', en: 'Not allowed while the factoring deal is {status}' },

  // --- inventory: goods, prices, warehouses, lots, warehouse receipts, pledges -----------------------------
  INVALID_QUANTITY: {
    status: 400,
    zh: '数量格式不正确：{value}（该计量单位最多 {scale} 位小数）',
    en: 'Invalid quantity: {value} (at most {scale} decimals for this unit)',
  },
  CATEGORY_CODE_TAKEN: { status: 409, zh: '品类编码 {code} 已存在', en: 'Category code {code} already exists' },
  CATEGORY_LEVEL_INVALID: {
    status: 400,
    zh: '品类层级不正确：{reason}',
    en: 'Invalid category level: {reason}',
  },
  SKU_CODE_TAKEN: { status: 409, zh: '商品编码 {code} 已存在', en: 'SKU code {code} already exists' },
  PRICE_WINDOW_OVERLAP: {
    status: 409,
    zh: '该商品同一价格来源的有效期与已有价格重叠',
    en: 'The validity window overlaps an existing price of this SKU and source',
  },
  PRICE_NOT_AVAILABLE: {
    status: 404,
    zh: '{date} 没有该商品的有效价格',
    en: 'No valid price for this SKU on {date}',
  },
  WAREHOUSE_CODE_TAKEN: { status: 409, zh: '仓库编码 {code} 已存在', en: 'Warehouse code {code} already exists' },
  WAREHOUSE_NOT_ACTIVE: { status: 409, zh: '仓库未处于启用状态', en: 'The warehouse is not active' },
  LOCATION_CODE_TAKEN: { status: 409, zh: '库位编码 {code} 已存在', en: 'Location code {code} already exists in this warehouse' },
  LOT_STATE: { status: 409, zh: '批次当前状态（{from}）不允许“{action}”', en: 'Cannot {action} a lot that is {from}' },
  LOT_UNDER_RECEIPT: {
    status: 409,
    zh: '货物已开立仓单，仓单存续期间不能出库或单独质押',
    en: 'The goods are under a warehouse receipt: they cannot be checked out or pledged on their own while it exists',
  },
  LOT_PLEDGED: { status: 409, zh: '货物已质押，未解押不能出库', en: 'The goods are pledged: they cannot leave before a release' },
  DELIVERY_ORDER_REQUIRED: {
    status: 409,
    zh: '出库须凭货主的提货单（或已批准的解押）且数量在其剩余范围内',
    en: "A check-out needs the owner's delivery order (or an approved release) covering that quantity",
  },
  DELIVERY_ORDER_STATE: {
    status: 409,
    zh: '提货单当前状态（{from}）不允许“{action}”',
    en: 'Cannot {action} a delivery order that is {from}',
  },
  LOT_QUANTITY_SHORT: {
    status: 409,
    zh: '批次库存不足：现有 {available}，申请 {requested}',
    en: 'Not enough in the lot: {available} in store, {requested} asked for',
  },
  SERIALS_INVALID: { status: 400, zh: '序列号不正确：{reason}', en: 'Invalid serial numbers: {reason}' },
  SERIAL_IN_STORE: {
    status: 409,
    zh: '序列号 {serial} 已在库',
    en: 'Serial number {serial} is already in store',
  },
  RECEIPT_STATE: { status: 409, zh: '仓单当前状态（{from}）不允许“{action}”', en: 'Cannot {action} a receipt that is {from}' },
  RECEIPT_FROZEN: { status: 409, zh: '仓单已被冻结', en: 'The warehouse receipt is frozen' },
  RECEIPT_LOTS_INVALID: {
    status: 400,
    zh: '不能对这些批次开立仓单：{reason}',
    en: 'A receipt cannot be made over these lots: {reason}',
  },
  RECEIPT_SPLIT_INVALID: { status: 400, zh: '仓单拆分不正确：{reason}', en: 'Invalid split: {reason}' },
  RECEIPT_MERGE_INVALID: { status: 400, zh: '仓单合并不正确：{reason}', en: 'Invalid merge: {reason}' },
  ALREADY_PLEDGED: {
    status: 409,
    zh: '该仓单或批次已有生效中的质押，不能重复质押',
    en: 'This receipt or lot is already under an active pledge; it cannot be pledged twice',
  },
  PLEDGE_STATE: { status: 409, zh: '质押已解除', en: 'The pledge is already released' },
  MARGIN_CALL_STATE: { status: 409, zh: '跌价补偿通知状态为 {from}，不能{action}', en: 'The margin call is {from}; it cannot {action}' },
  PLEDGE_SECURES_LOAN: {
    status: 409,
    zh: '该质押担保着融资申请，随申请或贷款结清解除',
    en: 'This pledge secures a loan application; it ends with the application or when its loans are repaid',
  },
  GOODS_PLEDGE_REQUIRED: {
    status: 409,
    zh: '存货/仓单质押融资须选择用于质押的{subject}',
    en: 'An inventory or warehouse-receipt pledge application needs the {subject} it pledges',
  },
  GOODS_PLEDGE_INSUFFICIENT: {
    status: 409,
    zh: '申请金额超过质押货物的可融资额 {max}（货值 {value}，质押率 {rate}）',
    en: 'The amount exceeds what the pledged goods allow: {max} (value {value}, pledge rate {rate})',
  },
  DRAWDOWN_EXCEEDS_PLEDGE: {
    status: 409,
    zh: '支用金额超过质押货物的可支用额 {available}（货值 {value} × 质押率 {rate} − 已用 {used}）',
    en: 'The drawdown exceeds what the pledged goods allow: {available} (value {value} × pledge rate {rate} − used {used})',
  },
  PLEDGE_BELOW_CONTROL_VALUE: {
    status: 409,
    zh: '出库或换货后质押货值 {remaining} 将低于最低控货价值 {min}，不能办理',
    en: 'After this check-out or swap the pledged value {remaining} would fall below the minimum controlled value {min}; refused',
  },
  RELEASE_EXCEEDS_REPAID: {
    status: 409,
    zh: '提货货值 {value} 超过可释放额度 {available}（已还本金 ÷ 质押率 − 已释放货值）',
    en: 'The goods to release are worth {value}, more than the repayments free: {available} (principal repaid ÷ pledge rate − value released)',
  },
  RELEASE_STATE: { status: 409, zh: '提货申请状态为 {from}，不能{action}', en: 'The release request is {from}; it cannot {action}' },
  PLEDGE_NOT_DYNAMIC: {
    status: 409,
    zh: '静态质押不能换货，货物须凭还款提货',
    en: 'A static pledge has no swaps: its goods leave only through a release against repayment',
  },

  // --- 保兑仓: networks, dealers, agreements (networks.ts, dealers.ts, agreements.ts) ------------------------
  CS_NETWORK_LIMIT_EXCEEDED: {
    status: 409,
    zh: '经销商推荐额度合计将超过核心厂商网络项下总担保额度',
    en: "The dealers' recommended limits would exceed the network's total guarantee limit",
  },
  CS_NETWORK_LIMIT_BELOW_RECOMMENDED: {
    status: 409,
    zh: '总担保额度不能低于已推荐经销商的推荐额度合计',
    en: "The total guarantee limit cannot fall below the dealers' recommended limits",
  },
  CS_NETWORK_EXISTS: {
    status: 409,
    zh: '该核心厂商在此银行已有保兑仓网络',
    en: 'The core enterprise already has a network at this bank',
  },
  CS_DEALER_EXISTS: {
    status: 409,
    zh: '该经销商已在此网络中',
    en: 'The dealer is in this network already',
  },
  CS_NETWORK_WAREHOUSE_REQUIRED: {
    status: 422,
    zh: '第三方监管的保兑仓网络须指定监管仓库',
    en: 'A network supervised by a third party names the warehouse the goods go to',
  },
  CS_NOT_A_DEALER: {
    status: 422,
    zh: '推荐入网的企业须为经销商',
    en: 'Only a dealer can be recommended into a network',
  },
  CS_NETWORK_NOT_APPROVED: {
    status: 409,
    zh: '保兑仓网络尚未审核通过',
    en: 'The network is not approved yet',
  },
  CS_DEALER_NOT_GRANTED: {
    status: 409,
    zh: '经销商尚未获得该网络项下的授信',
    en: 'The dealer has no credit granted under this network',
  },
  CS_AGREEMENTS_UNSIGNED: {
    status: 409,
    zh: '四方协议、回购及质量保证协议或仓储监管协议尚未全部签署',
    en: 'The network agreements are not all signed yet',
  },
  CS_AGREEMENT_CHANGED: {
    status: 409,
    zh: '协议文本已变更，请重新查阅后签署',
    en: 'The agreement is not the document you read; read it again before signing',
  },
  CS_AGREEMENT_ALREADY_SIGNED: {
    status: 409,
    zh: '贵方已签署该协议',
    en: 'Your organisation has signed this agreement already',
  },

  // --- 保兑仓: bills, margin, deliveries, buybacks (bills.ts, deliveries.ts, maturity.ts) ---------------------
  CS_NETWORK_NO_WAREHOUSE: {
    status: 409,
    zh: '该保兑仓网络未指定监管仓库',
    en: 'The network names no warehouse for the goods',
  },
  CS_NO_DEALER_PRODUCT: {
    status: 409,
    zh: '保兑仓网络未设置本行已发布的经销商授信产品，无法申请汇票或短期贷款（贷款利率、垫款罚息率取自该产品）',
    en: "The network names no published dealer credit product of its bank: a bill or short-term loan needs one (it gives the loan's rate and an advance's penalty rate)",
  },
  CS_MARGIN_BELOW_MINIMUM: {
    status: 422,
    zh: '汇票保证金比例 {ratio} 低于网络规定的最低比例 {minimum}',
    en: "The bill's margin ratio {ratio} is below the network's minimum {minimum}",
  },
  CS_TERM_TOO_LONG: {
    status: 422,
    zh: '汇票到期日 {maturityDate} 超过最长期限（六个月，最迟 {latest}）',
    en: 'The maturity date {maturityDate} is beyond the longest term (six months, {latest} at the latest)',
  },
  CS_FACE_NOT_ORDER_VALUE: {
    status: 409,
    zh: '票面金额 {face} 须等于订单货物合同金额 {order}',
    en: 'The face {face} must equal the contract value of the ordered goods {order}',
  },
  CS_SHIPMENT_EXCEEDS_ORDER: {
    status: 409,
    zh: '发货数量超过订单：订货 {ordered}，累计发货将为 {shipped}',
    en: 'The shipment exceeds the order: {ordered} ordered, {shipped} shipped in all',
  },
  CS_MARGIN_EXCEEDS_FACE: {
    status: 409,
    zh: '保证金不能超过票面金额，本次最多可缴存 {most}',
    en: 'Margin cannot exceed the face; at most {most} may be deposited',
  },
  CS_DELIVERY_EXCEEDS_MARGIN: {
    status: 409,
    zh: '提货价值 {value} 超过保证金可释放的价值 {available}',
    en: 'Goods worth {value} exceed what the margin frees ({available})',
  },
  CS_BUYBACK_STATE: {
    status: 409,
    zh: '回购通知状态为 {from}，不能{action}',
    en: 'The buyback is {from}; it cannot {action}',
  },

  // --- 回购机构 (buyback institution) -----------------------------------------------------------------
  LOT_UNDER_SUPERVISION: {
    status: 409,
    zh: '批次 {lotNo} 处于售前监管中，回购机构转售前不能出库',
    en: 'Lot {lotNo} is under pre-sale supervision: it cannot be checked out before the buyback institution resells it',
  },
  BUYBACK_LIMIT_EXCEEDED: {
    status: 409,
    zh: '超出回购承诺额度：{scope}',
    en: 'The buyback commitment would exceed its limit: {scope}',
  },
  BUYBACK_NOT_COVERED: {
    status: 409,
    zh: '该融资的质押货物不在回购协议的品类范围内',
    en: "The application's pledged goods are outside the agreement's categories",
  },
  BUYBACK_AGREEMENT_INVALID: {
    status: 409,
    zh: '回购协议不在有效期内或已终止',
    en: 'The buyback agreement is not in force',
  },
  BUYBACK_TRADE_STATE: {
    status: 409,
    zh: '回购交易（或保障）当前状态为 {from}，不能执行该操作（{action}）',
    en: 'The buyback trade (or coverage) is {from}; it cannot {action}',
  },
  BUYBACK_PRICE_CHANGED: {
    status: 409,
    zh: '回购金额已变动（确认时 {confirmed}，现为 {now}），请重新确认',
    en: 'The buyback amount changed (confirmed {confirmed}, now {now}); confirm again',
  },
  BUYBACK_RULE_INVALID: {
    status: 400,
    zh: '回购价格规则不正确：{reason}',
    en: 'Invalid buyback price rule: {reason}',
  },

  // --- digital debt certificates ----------------------------------------------------------------------
  CERT_MATURITY_INVALID: { status: 400, zh: '凭证到期日须晚于今天且不超过一年', en: 'Maturity must be after today and within one year' },
  QUOTE_EXPIRED: {
    status: 409,
    zh: '报价仅当日（{quotedOn}）有效，已过期，请资金方重新报价',
    en: 'The quote held for its day ({quotedOn}) only; ask the funder to quote again',
  },
  PLEDGE_REQUIRED: {
    status: 409,
    zh: '应收账款质押融资须选择用于质押的已确权应收账款',
    en: 'A receivables-pledge application needs the confirmed receivables it pledges',
  },
  PLEDGE_INSUFFICIENT: {
    status: 409,
    zh: '申请金额超过质押应收账款的可融资额 {max}（质押率 {rate}）',
    en: 'The amount exceeds what the pledged receivables allow: {max} (pledge rate {rate})',
  },
  CERT_CURRENCY: {
    status: 409,
    zh: '数字债权凭证以人民币开立，所选额度币种为 {currency}',
    en: 'Certificates are issued in CNY; the chosen line is in {currency}',
  },
  CERT_BACKING_EXCESS: {
    status: 409,
    zh: '应付账款 {receivableNo} 超出凭证金额所需，请勿勾选',
    en: 'Payable {receivableNo} is not needed to cover the face value; leave it out',
  },
  CERT_BACKING_INSUFFICIENT: {
    status: 409,
    zh: '确权应付账款合计 {backing} 低于凭证金额',
    en: 'Confirmed payables ({backing}) are less than the face value',
  },
  CERT_STATE: { status: 409, zh: '凭证当前状态（{status}）不允许该操作', en: 'Not allowed while the certificate is {status}' },
  CERT_PIECE_NOT_LIVE: {
    status: 409,
    zh: '该凭证份额已被转让、融资或清分（并发操作冲突）',
    en: 'This certificate piece was already transferred, financed or cleared (concurrent change)',
  },
  CERT_AMOUNT_EXCEEDS_PIECE: { status: 409, zh: '金额超过持有份额 {held}', en: 'Amount exceeds the piece held ({held})' },
  CERT_NOT_SUPPLIER: { status: 400, zh: '只能转让给本企业的供应商', en: 'Certificates can only be passed to your own suppliers' },
  CERT_MATURED: {
    status: 409,
    zh: '凭证已到期，不能转让或融资',
    en: 'The certificate has matured; it can no longer be passed on or financed',
  },
  CERT_NOT_DUE: { status: 409, zh: '凭证尚未到期（{maturity}）', en: 'The certificate is not due yet ({maturity})' },
  RECEIVABLE_NOT_DUE: {
    status: 409,
    zh: '应收账款尚未到期（{maturity}），不能追索',
    en: 'The receivable is not due yet ({maturity}); recourse comes after maturity',
  },
  FACTORING_NO_CREDIT_LINE: { status: 409, zh: '保理商没有可用于{party}的保理额度', en: 'The factor has no factoring line for {party}' },
  FACTORING_FEE_TOO_HIGH: {
    status: 400,
    zh: '预付款与费用之和不能超过应收账款金额',
    en: 'Advance plus fee cannot exceed the receivable amount',
  },
  QUOTE_STATE: { status: 409, zh: '报价已失效', en: 'This quote is no longer open' },

  // --- calendar -------------------------------------------------------------------------------------
  // 保险机构 (insurance)
  INSURANCE_GOODS_NOT_PLEDGED: {
    status: 409,
    zh: '该融资申请没有生效中的质押货物，无法投保',
    en: 'The application has no goods under an active pledge to insure',
  },
  INSURANCE_ALREADY_COVERED: {
    status: 409,
    zh: '该融资申请的质押货物已有投保中或生效的保单',
    en: "The application's pledged goods already have a policy applied for or in force",
  },
  INSURANCE_POLICY_NOT_ACTIVE: { status: 409, zh: '保单未生效（未承保、已失效或已到期）', en: 'The policy is not in force' },
  INSURANCE_LOT_NOT_COVERED: { status: 409, zh: '该批次不在保单承保范围内', en: 'This lot is not covered by the policy' },
  INSURANCE_NO_SHORTAGE: {
    status: 409,
    zh: '该批次没有盘点短少记录，不能按盘亏报案',
    en: 'No stocktake found this lot short; a shortage claim needs one',
  },
  INSURANCE_CLAIM_EXCEEDS_COVER: {
    status: 409,
    zh: '索赔或定损金额超过保单的剩余保险金额 {cover}',
    en: "The amount exceeds the policy's remaining cover of {cover}",
  },
  INSURANCE_PERIL_NOT_COVERED: { status: 409, zh: '该损失原因不在保单承保的风险范围内', en: 'The policy does not cover this peril' },
  LOSS_EXCEEDS_LOT: {
    status: 409,
    zh: '损失数量超过该批次在库数量，或批次不在库',
    en: 'The loss exceeds what the lot holds, or the lot is not in store',
  },
  GUARANTEE_NOT_CUSTOMER: {
    status: 409,
    zh: '申请人不是该担保机构的客户',
    en: 'The applicant is not a customer of the guarantor',
  },
  GUARANTEE_NOT_OFFICER_A: { status: 403, zh: '台账由项目 A 角录入', en: "The project's A officer enters its ledger entries" },
  GUARANTEE_ENTRY_NOT_ALLOWED: {
    status: 409,
    zh: '项目当前状态（{status}）不能录入该台账事项（{kind}）',
    en: 'A {kind} entry cannot be made while the project is {status}',
  },
  GUARANTEE_ENTRY_PENDING: {
    status: 409,
    zh: '该事项已录入台账（复核中或已入账）',
    en: 'This item is already in the ledger (being checked or posted)',
  },
  GUARANTEE_LOAN_MISMATCH: {
    status: 409,
    zh: '该借据不是本项目债权人对被担保人发放的贷款',
    en: "The loan is not the project lender's loan to the applicant",
  },
  GUARANTEE_LOAN_TAKEN: { status: 409, zh: '该借据已有在保的担保', en: 'The loan already has a guarantee in force' },
  GUARANTEE_AMOUNT_EXCEEDED: {
    status: 409,
    zh: '金额超过可用上限 {limit}',
    en: 'The amount exceeds what is available: {limit}',
  },
  BUSINESS_DATE_BACKWARDS: { status: 409, zh: '营业日期只能向后推进', en: 'The business date can only move forward' },
  POLICY_PLEDGE_REQUIRED: {
    status: 409,
    zh: '保单融资须选择用于质押的生效保单',
    en: 'An insurance-policy financing application needs the policies in force it pledges',
  },
  POLICY_PLEDGE_INSUFFICIENT: {
    status: 409,
    zh: '申请金额超过质押保单的可融资额 {max}（保险金额 {value}，质押率 {rate}）',
    en: 'The amount exceeds what the pledged policies allow: {max} (cover {value}, advance ratio {rate})',
  },
  POLICY_ALREADY_PLEDGED: {
    status: 409,
    zh: '该保单已质押给另一笔融资，不能重复质押',
    en: 'This policy is already pledged to another financing; it cannot be pledged twice',
  },
  WORKBENCH_NOTICE_PIN_PAST: {
    status: 400,
    zh: '置顶截止日 {pinnedUntil} 早于当前营业日 {businessDate}',
    en: 'The notice would be pinned until {pinnedUntil}, before the business date {businessDate}',
  },
  WORKBENCH_NOTICE_NO_RECIPIENTS: { status: 400, zh: '公告没有可发送的对象', en: 'The notice has nobody to go to' },
  // --- 资信管理: scoring templates and scores (scoring), individual customers and custom fields (parties) ------
  SCORING_TEMPLATE_INVALID: { status: 400, zh: '资信打分模板定义不合法', en: 'Invalid scoring template definition' },
  SCORING_TEMPLATE_CODE_TAKEN: { status: 409, zh: '模板编码已存在', en: 'This template code is already used' },
  SCORING_VERSION_PUBLISHED: {
    status: 409,
    zh: '该模板版本已发布，不能修改；请新建版本',
    en: 'This template version is published and frozen; start a new version',
  },
  SCORING_TEMPLATE_NOT_PUBLISHED: {
    status: 409,
    zh: '资信打分模板未发布或已停用',
    en: 'The scoring template is not published (or retired)',
  },
  SCORING_CUSTOMER_TYPE_MISMATCH: {
    status: 409,
    zh: '模板适用于{expected}客户，该客户为{actual}客户',
    en: 'The template is for {expected} customers; this customer is {actual}',
  },
  SCORING_LEVELS_INVALID: {
    status: 400,
    zh: '定性指标评级不完整或有未知指标：缺少 {missing}，未知 {unknown}',
    en: 'Qualitative levels incomplete or unknown: missing {missing}, unknown {unknown}',
  },
  PARTY_NOT_INDIVIDUAL: { status: 409, zh: '该客户不是个人客户', en: 'This customer is not an individual' },
  CUSTOM_FIELD_KEY_TAKEN: { status: 409, zh: '客户信息要素编码已存在：{key}', en: 'This customer field key is already used: {key}' },
  CUSTOM_FIELD_UNKNOWN: { status: 400, zh: '未定义的客户信息要素：{key}', en: 'No such customer field: {key}' },
  CUSTOM_FIELD_REQUIRED: { status: 400, zh: '客户信息要素必填：{key}', en: 'Customer field required: {key}' },
  CUSTOM_FIELD_VALUE_INVALID: {
    status: 400,
    zh: '客户信息要素 {key} 的值不合法（应为{expected}）',
    en: 'Invalid value for customer field {key} (expected {expected})',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export type Locale = 'zh-CN' | 'en';

export type ErrorDetails = Record<string, unknown>;

/** A failure the caller can act on. Routes never build error bodies by hand; they throw this. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /**
   * A refusal whose own record commits with its answer (an import's rejected batch in the import history). Any
   * other error rolls back everything its request wrote: a refusal writes nothing.
   */
  readonly keepWrites: boolean;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options: { keepWrites?: boolean } = {}) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.keepWrites = options.keepWrites ?? false;
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function errorMessage(code: ErrorCode, locale: Locale, details: ErrorDetails = {}): string {
  const template = locale === 'en' ? ERROR_CATALOG[code].en : ERROR_CATALOG[code].zh;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined || value === null) return whole;
    if (isLocalizedText(value)) return locale === 'en' ? value.en : value.zh;
    return String(value);
  });
}

/** A detail value that carries its own translations, e.g. the reason a credit code is invalid. */
export interface LocalizedText {
  zh: string;
  en: string;
}

function isLocalizedText(value: unknown): value is LocalizedText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LocalizedText).zh === 'string' &&
    typeof (value as LocalizedText).en === 'string'
  );
}

/** Picks zh-CN unless the caller prefers English (Accept-Language, highest q first). */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag.length > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** Asserts an internal invariant (a programming error, never user input). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
