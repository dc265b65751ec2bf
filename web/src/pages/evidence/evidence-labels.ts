/** Chinese labels of the evidence vocabulary (shared/rules/catalog.ts RECORDING_KINDS, HOLD_REASONS; D3, D4). */
export const RECORDING_KIND_LABELS: Record<string, string> = {
  patrol: '日常巡查',
  'evidence-general-procedure': '普通程序调查取证',
  licensing: '行政许可',
  levy: '行政征收征用',
  confirmation: '行政确认',
  benefit: '行政给付',
  inspection: '行政检查',
  questioning: '询问笔录',
  service: '文书送达',
  hearing: '听证',
  other: '其他',
};

export const EVIDENCE_STATUS_LABELS: Record<string, { text: string; color: string }> = {
  uploading: { text: '上传中', color: 'blue' },
  verified: { text: '已校验入库', color: 'green' },
  quarantined: { text: '已隔离', color: 'red' },
  disposing: { text: '销毁中', color: 'orange' },
  disposed: { text: '已销毁', color: 'default' },
};

export const HOLD_REASON_LABELS: Record<string, string> = {
  dispute: '当事人有争议',
  complaint: '投诉',
  petition: '信访',
  evasion: '逃避执法',
  refusal: '拒绝执法',
  obstruction: '妨碍执法',
  insult: '侮辱执法人员',
  assault: '殴打执法人员',
  massIncident: '群体性事件',
  suddenIncident: '突发事件',
  important: '其他重要情形',
  reviewOrLitigation: '复议或诉讼',
};

export const QUARANTINE_REASON_LABELS: Record<string, string> = {
  sha256Mismatch: '到达的内容与声明的 SHA-256 不符',
  sizeMismatch: '到达的大小与声明不符',
};

export const RETENTION_CLASS_LABELS: Record<string, string> = { routine: '一般保存', case: '随案卷保存', longTerm: '长期保存' };

export const formatBytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
