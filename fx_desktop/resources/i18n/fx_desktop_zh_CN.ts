<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Decision *</source>
        <translation>决定 *</translation>
    </message>
    <message>
        <source>Approve the referral</source>
        <translation>批准移送</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>不批准</translation>
    </message>
    <message>
        <source>Reasons (required for a refusal)</source>
        <translation>理由（不批准时必填）</translation>
    </message>
    <message>
        <source>Head who decided</source>
        <translation>审批负责人</translation>
    </message>
    <message>
        <source>How it was delivered</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Signed by *</source>
        <translation>签收人 *</translation>
    </message>
    <message>
        <source>Competent organ *</source>
        <translation>主管机关 *</translation>
    </message>
    <message>
        <source>Written notice to the squad *</source>
        <translation>书面告知移送机关的内容 *</translation>
    </message>
    <message>
        <source>Open a criminal case (立案)</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Not open a case (不予立案)</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <source>Reasons (required for 不予立案)</source>
        <translation>理由（不予立案时必填）</translation>
    </message>
    <message>
        <source>Police case number</source>
        <translation>公安机关立案编号</translation>
    </message>
    <message>
        <source>Decision on reconsideration *</source>
        <translation>复议决定 *</translation>
    </message>
    <message>
        <source>Uphold 不予立案</source>
        <translation>维持不予立案</translation>
    </message>
    <message>
        <source>Reasons (required when upheld)</source>
        <translation>理由（维持不予立案时必填）</translation>
    </message>
    <message>
        <source>Reasons *</source>
        <translation>理由 *</translation>
    </message>
    <message>
        <source>Remaining materials handed over *</source>
        <translation>移交的其余材料 *</translation>
    </message>
    <message>
        <source>Handed over by *</source>
        <translation>移交人 *</translation>
    </message>
    <message>
        <source>Received by (police) *</source>
        <translation>接收人（公安机关）*</translation>
    </message>
    <message>
        <source>Note (items not handed over and why)</source>
        <translation>备注（未移交的物品及原因）</translation>
    </message>
</context>
<context>
    <name>AcceptDialog</name>
    <message>
        <source>Accept referral %1</source>
        <translation>受理移送 %1</translation>
    </message>
    <message>
        <source>As on your own filing record</source>
        <translation>与本单位立案登记上的编号一致</translation>
    </message>
    <message>
        <source>Our case number *</source>
        <translation>本单位案件编号 *</translation>
    </message>
</context>
<context>
    <name>AgreedItemDialog</name>
    <message>
        <source>Agreed item</source>
        <translation>议定事项</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Lead unit</source>
        <translation>牵头单位</translation>
    </message>
    <message>
        <source>Supporting units (Space ticks)</source>
        <translation>配合单位（空格键勾选）</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>完成时限</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>fx-desktop is already running</source>
        <translation>fx-desktop 已在运行</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be used: %2</source>
        <translation>无法使用数据目录 %1：%2。请确认该目录存在且有读写权限。</translation>
    </message>
    <message>
        <source>Database cannot be opened</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The backup could not be restored: %1. The damaged file was left where it is.</source>
        <translation>备份未能恢复：%1。损坏的数据库文件保持原样，未作改动。</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <source>Upgrading the database</source>
        <translation>正在升级数据库</translation>
    </message>
    <message>
        <source>Rebuilding the search index… %1 of %2 cases</source>
        <translation>正在重建搜索索引…（已完成 %1 件，共 %2 件）</translation>
    </message>
    <message>
        <source>The daily check and backup of the database failed: %1</source>
        <translation>数据库每日自检与备份失败：%1。已有的备份均已保留，请联系管理员。</translation>
    </message>
    <message>
        <source>Daily backup</source>
        <translation>每日备份</translation>
    </message>
    <message>
        <source>Writing demo cases…</source>
        <translation>正在生成演示案件…</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>Case</source>
        <translation>案件信息</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Legal review</source>
        <translation>法制审核</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>移送</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>公安协助</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办案记录</translation>
    </message>
    <message>
        <source>The case could not be read: %1.</source>
        <translation>无法读取该案件：%1。</translation>
    </message>
    <message>
        <source>Unsaved changes found</source>
        <translation>发现未保存的修改</translation>
    </message>
    <message>
        <source>Changes to this case typed at %1 were not saved (the program was closed unexpectedly). Restore them?</source>
        <translation>本案件于 %1 录入的修改尚未保存（程序意外关闭）。是否恢复？</translation>
    </message>
    <message>
        <source>Unsaved changes restored; press Ctrl+S to save them.</source>
        <translation>已恢复未保存的修改，请按 Ctrl+S 保存。</translation>
    </message>
    <message>
        <source>Your typing could not be kept aside (%1); please save soon.</source>
        <translation>输入内容未能自动暂存（%1），请尽快保存。</translation>
    </message>
    <message>
        <source>Not saved. Please correct the marked fields: </source>
        <translation>未保存，请更正标记的项目：</translation>
    </message>
    <message>
        <source>Not saved: %1. What you typed is still in the form.</source>
        <translation>未能保存：%1。已输入的内容仍保留在表单中。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saved on this computer only; press “Resubmit” to send the case to the bureau.</source>
        <translation>已保存在本机，尚未发送区局；改好后请点“重新提交”。</translation>
    </message>
    <message>
        <source>Not resubmitted. Please correct the marked fields: </source>
        <translation>未重新提交。请修改标出的字段：</translation>
    </message>
    <message>
        <source>Not resubmitted: %1. What you typed is still in the form.</source>
        <translation>未重新提交：%1。您填写的内容仍在表单中。</translation>
    </message>
    <message>
        <source>Resubmitted; the case is sent to the bureau with the next sync and gets its official number once the bureau accepts it.</source>
        <translation>已重新提交：案件将在下次同步时发送区局，区局接受后取得正式编号。</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Discard case %1? The bureau never accepted it; it is removed from this computer and cannot be restored. The audit trail keeps what it held and the bureau&apos;s reason.</source>
        <translation>放弃案件 %1？该案件未被区局接受，放弃后将从本机删除，不能恢复；审计记录中保留其内容和区局拒绝的原因。</translation>
    </message>
    <message>
        <source>The case was not discarded: %1.</source>
        <translation>案件未能放弃：%1。</translation>
    </message>
    <message>
        <source>Case %1 discarded.</source>
        <translation>已放弃案件 %1。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>This case has unsaved changes. Save them?</source>
        <translation>本案件有未保存的修改，是否保存？</translation>
    </message>
    <message>
        <source>“%2” ends case %1: it becomes read-only and no further step can be taken on it. This cannot be undone. Continue?</source>
        <translation>“%2”将终结案件 %1：案件变为只读，之后不能再办理任何步骤，且无法撤回。确定继续？</translation>
    </message>
    <message>
        <source>“%2” records the decision on case %1. The decision cannot be changed afterwards; only revoking the case would undo it. Continue?</source>
        <translation>“%2”将记录案件 %1 的处理决定。决定作出后不能修改，只能通过撤销案件来撤回。确定继续？</translation>
    </message>
    <message>
        <source>Change case %1 with “%2”?</source>
        <translation>确定对案件 %1 执行“%2”？</translation>
    </message>
    <message>
        <source>The status was not changed: %1.</source>
        <translation>状态未变更：%1。</translation>
    </message>
    <message>
        <source>Status changed to “%1”.</source>
        <translation>案件状态已变更为“%1”。</translation>
    </message>
    <message>
        <source>The referrals of this case could not be read: %1.</source>
        <translation>无法读取本案的移送记录：%1。</translation>
    </message>
    <message>
        <source>Referral %1 was returned by %2 on %3. Reason: %4 — the case is open again for the squad.</source>
        <translation>移送 %1 已被%2于 %3 退回。退回理由：%4 —— 案件已退回中队继续办理。</translation>
    </message>
    <message>
        <source>The referral form could not be prepared: %1.</source>
        <translation>无法打开移送表单：%1。</translation>
    </message>
    <message>
        <source>Put on the consultation list</source>
        <translation>列入会商</translation>
    </message>
    <message>
        <source>What needs coordinating for case %1?</source>
        <translation>案件%1需要协调会商的事项：</translation>
    </message>
    <message>
        <source>The case was not put on the consultation list: %1.</source>
        <translation>案件未能列入协调会商事项清单：%1。</translation>
    </message>
    <message>
        <source>Case %1 is on the consultation item list; the next meeting&apos;s proposed agenda names it.</source>
        <translation>案件%1已列入协调会商事项清单，下次会议的建议议程将列出该案件。</translation>
    </message>
    <message>
        <source>Referred to %1 (referral %2); the case is now “%3”.</source>
        <translation>已移送至%1（移送编号 %2），案件状态为“%3”。</translation>
    </message>
    <message>
        <source>Submitted for legal review (round %1, due %2).</source>
        <translation>已提交法制审核（第 %1 次送审，审核期限 %2）。</translation>
    </message>
    <message>
        <source>Review deadline extended to %1.</source>
        <translation>审核期限已延长至 %1。</translation>
    </message>
    <message>
        <source>Copying evidence into the case file…</source>
        <translation>正在将证据复制到案卷…</translation>
    </message>
    <message>
        <source>Add evidence</source>
        <translation>添加证据</translation>
    </message>
    <message>
        <source>Evidence could not be added: %1</source>
        <translation>证据添加失败：%1</translation>
    </message>
    <message>
        <source>Refer to police</source>
        <translation>移送公安</translation>
    </message>
    <message>
        <source>The legal review found a suspected crime that must be referred to the judicial organs (criterion 8).</source>
        <translation>法制审核认为本案涉嫌犯罪，需移送司法机关（审核项 8）。</translation>
    </message>
    <message>
        <source>Use “Refer to police” above to write the report.</source>
        <translation>请点击上方“移送公安”填写移送报告。</translation>
    </message>
    <message>
        <source>A squad leader refers it to the police from this page.</source>
        <translation>由中队长在本页移送公安机关。</translation>
    </message>
    <message>
        <source>Report %1 submitted to the head for a decision.</source>
        <translation>移送报告 %1 已提交负责人审批。</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>Person</source>
        <translation>自然人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>法人或其他组织</translation>
    </message>
    <message>
        <source>Yuan, e.g. 5000</source>
        <translation>单位：元，如 5000</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>Add officer</source>
        <translation>添加承办人</translation>
    </message>
    <message>
        <source>Source *</source>
        <translation>案件来源 *</translation>
    </message>
    <message>
        <source>Category *</source>
        <translation>案件类别 *</translation>
    </message>
    <message>
        <source>Cause *</source>
        <translation>案由 *</translation>
    </message>
    <message>
        <source>Party type</source>
        <translation>当事人类型</translation>
    </message>
    <message>
        <source>Party name *</source>
        <translation>当事人姓名/名称 *</translation>
    </message>
    <message>
        <source>ID number / credit code</source>
        <translation>证件号码/统一社会信用代码</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Party address</source>
        <translation>当事人地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Place *</source>
        <translation>案发地点 *</translation>
    </message>
    <message>
        <source>Time of conduct *</source>
        <translation>案发时间 *</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>违法事实</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>Proposed penalty</source>
        <translation>拟处罚意见</translation>
    </message>
    <message>
        <source>Proposed fine (yuan)</source>
        <translation>拟罚款金额（元）</translation>
    </message>
    <message>
        <source>Circumstances</source>
        <translation>重大执法情形</translation>
    </message>
    <message>
        <source>Officers (at least two to file)</source>
        <translation>承办人员（立案须两名以上）</translation>
    </message>
    <message>
        <source>18-character citizen ID</source>
        <translation>18位公民身份号码</translation>
    </message>
    <message>
        <source>18-character unified social credit code</source>
        <translation>18位统一社会信用代码</translation>
    </message>
    <message>
        <source>%1&apos;s certificate (no. %2) expired on %3: they cannot file this case. Choose an officer with a valid certificate, or update the certificate on the Officers page.</source>
        <translation>%1 的执法证（证号 %2）已于 %3 到期，不能作为本案承办人员立案。请改由持有效执法证的人员承办，或在“执法人员”页更新证件。</translation>
    </message>
    <message>
        <source>%1&apos;s certificate expires on %2 (%3 days left).</source>
        <translation>%1 的执法证将于 %2 到期（剩 %3 天），请及时换证。</translation>
    </message>
</context>
<context>
    <name>CaseHeader</name>
    <message>
        <source>New case</source>
        <translation>新建案件</translation>
    </message>
    <message>
        <source>Fill in the fields marked * and press Ctrl+S to save.</source>
        <translation>请填写标有 * 的必填项，按 Ctrl+S 保存。</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>登记日期：%1</translation>
    </message>
    <message>
        <source>Decision overdue by %1 days (due %2)</source>
        <translation>处罚决定已超期 %1 天（期限 %2）</translation>
    </message>
    <message>
        <source>Decision due %1</source>
        <translation>决定期限：%1</translation>
    </message>
</context>
<context>
    <name>CasePolice</name>
    <message>
        <source>Request police assistance…</source>
        <translation>提请公安协助…</translation>
    </message>
    <message>
        <source>No police assistance was requested for this case.</source>
        <translation>本案尚未提请公安协助。</translation>
    </message>
    <message>
        <source>(draft)</source>
        <translation>（草稿）</translation>
    </message>
</context>
<context>
    <name>CaseReferrals</name>
    <message>
        <source>Referral</source>
        <translation>移送</translation>
    </message>
    <message>
        <source>This case has not been referred. A squad leader refers it with the “Refer” button above the case.</source>
        <translation>本案尚未移送。如需移送，由中队长点击案件上方的“移送”按钮办理。</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>案件状态</translation>
    </message>
    <message>
        <source>Town</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>案发地点</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Decision due</source>
        <translation>决定期限</translation>
    </message>
    <message>
        <source>Past the 90-day decision deadline</source>
        <translation>已超过90日处罚决定期限</translation>
    </message>
    <message>
        <source>The bureau did not accept this case: %1 Open it to correct and resend it, or discard it.</source>
        <translation>区局未接受该案件：%1 请打开案件，修改后重新提交，或放弃此草稿。</translation>
    </message>
    <message>
        <source>%1 (not accepted by the bureau)</source>
        <translation>未被区局接受·%1</translation>
    </message>
</context>
<context>
    <name>CircumstancesBox</name>
    <message>
        <source>Major enforcement decision: legal review is required before the decision (%1).</source>
        <translation>属于重大执法决定，作出决定前须经法制审核（%1）。</translation>
    </message>
    <message>
        <source>Not a major enforcement decision by the current rules.</source>
        <translation>按现行标准不属于重大执法决定。</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>恢复默认列</translation>
    </message>
</context>
<context>
    <name>ConflictBanner</name>
    <message>
        <source>Go to the “Sync” page</source>
        <translation>前往“同步”页</translation>
    </message>
    <message>
        <source>This case was deleted on the server while it was changed here. Please decide on the “Sync” page.</source>
        <translation>该案件在本机修改期间已在服务器上删除，请在“同步”页处理。</translation>
    </message>
    <message>
        <source>This case has a sync conflict: the field “%1” has two different values. Please resolve it on the “Sync” page.</source>
        <translation>该案件存在同步冲突：字段“%1”有两个不同的值，请在“同步”页处理。</translation>
    </message>
</context>
<context>
    <name>ConflictInbox</name>
    <message>
        <source>No conflicts and no rejected changes. When someone else changed a field you changed too, or the server refused a change, it is shown here to settle.</source>
        <translation>没有同步冲突，也没有被拒绝的修改。如果别人和您修改了同一字段，或服务器拒绝了某项修改，会在这里列出供您处理。</translation>
    </message>
    <message>
        <source>The list could not be read: %1.</source>
        <translation>无法读取列表：%1。请稍后再打开本页，若仍失败请联系管理员。</translation>
    </message>
    <message>
        <source>Conflict: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>The decision was not saved: %1.</source>
        <translation>处理结果未能保存：%1。请稍后重试。</translation>
    </message>
    <message>
        <source>Decision saved; it is being sent to the server.</source>
        <translation>处理结果已保存，正在发送到服务器。</translation>
    </message>
</context>
<context>
    <name>ConflictView</name>
    <message>
        <source>Original</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>My change</source>
        <translation>我的修改</translation>
    </message>
    <message>
        <source>Their change</source>
        <translation>对方的修改</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留对方的</translation>
    </message>
    <message>
        <source>Edit merge…</source>
        <translation>编辑合并…</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Case %1 was deleted on the server while it was changed here.</source>
        <translation>案件 %1 在本机修改期间已在服务器上删除。</translation>
    </message>
    <message>
        <source>Case %1: the field “%2” has two different values.</source>
        <translation>案件 %1：字段“%2”有两个不同的值。</translation>
    </message>
    <message>
        <source>(case deleted)</source>
        <translation>（案件已删除）</translation>
    </message>
    <message>
        <source>Their change (%1)</source>
        <translation>对方的修改（%1）</translation>
    </message>
    <message>
        <source>A deleted case cannot be restored here; ask your squad leader to register it again.</source>
        <translation>已删除的案件不能在此恢复；如仍需办理，请中队长重新登记。</translation>
    </message>
    <message>
        <source>Accept the deletion</source>
        <translation>确认删除</translation>
    </message>
    <message>
        <source>Drop your change “%1” and keep “%2”? Your change cannot be recovered afterwards.</source>
        <translation>放弃您的修改“%1”，保留“%2”？放弃后无法恢复。</translation>
    </message>
</context>
<context>
    <name>ConsultationList</name>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Units concerned</source>
        <translation>涉及单位</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Kept by</source>
        <translation>登记单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add item…</source>
        <translation>添加事项…</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>标记为已解决</translation>
    </message>
    <message>
        <source>The consultation item list is empty.</source>
        <translation>协调会商事项清单为空。</translation>
    </message>
    <message>
        <source>Units concerned by a new item (Space ticks):</source>
        <translation>新事项涉及的单位（空格键勾选）：</translation>
    </message>
    <message>
        <source>Add to the consultation item list</source>
        <translation>列入协调会商事项清单</translation>
    </message>
    <message>
        <source>Matter needing coordination</source>
        <translation>需要协调会商的事项</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>CrimeReportDialog</name>
    <message>
        <source>Refer case %1 to the police</source>
        <translation>案件 %1 移送公安机关</translation>
    </message>
    <message>
        <source>The suspected offence and the provision of the Criminal Law</source>
        <translation>涉嫌的罪名及《刑法》条文</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品名称</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>Where kept</source>
        <translation>存放地点</translation>
    </message>
    <message>
        <source>Measure taken</source>
        <translation>采取的措施</translation>
    </message>
    <message>
        <source>A fine was already paid (recorded for the court to offset)</source>
        <translation>已缴纳罚款（记录在案，供法院折抵）</translation>
    </message>
    <message>
        <source>Amount in yuan</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Police organisation *</source>
        <translation>接收的公安机关 *</translation>
    </message>
    <message>
        <source>Referral team (two officers or more, with certificates) *</source>
        <translation>移送小组（两名以上持证执法人员）*</translation>
    </message>
    <message>
        <source>Suspected offence *</source>
        <translation>涉嫌罪名及依据 *</translation>
    </message>
    <message>
        <source>Investigation report *</source>
        <translation>涉嫌犯罪案件情况的调查报告 *</translation>
    </message>
    <message>
        <source>Inspection or appraisal reports attached</source>
        <translation>随附的检验报告、鉴定意见</translation>
    </message>
    <message>
        <source>Seized items</source>
        <translation>涉案物品</translation>
    </message>
    <message>
        <source>Fine already paid</source>
        <translation>已缴罚款</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>The report goes to the head, who decides within 3 days; once approved the case must reach the police within 24 hours.</source>
        <translation>报告报本机关正职负责人，负责人应自接到报告之日起3日内作出批准或不批准的决定；批准后应在24小时内移送公安机关。</translation>
    </message>
    <message>
        <source>Submit report</source>
        <translation>提交报告</translation>
    </message>
</context>
<context>
    <name>CrimeStepDialog</name>
    <message>
        <source>When it happened *</source>
        <translation>办理时间 *</translation>
    </message>
    <message>
        <source>Only when the deadline has passed: why it is late</source>
        <translation>仅在已超过期限时填写：逾期的原因</translation>
    </message>
    <message>
        <source>Reason for the delay</source>
        <translation>逾期原因</translation>
    </message>
    <message>
        <source>Entered for the police: required when the police organisation has an account (e.g. the written receipt was received)</source>
        <translation>代公安机关录入：该公安机关已开通账号时必填（如已收到书面回执）</translation>
    </message>
    <message>
        <source>Why the squad enters it</source>
        <translation>代录原因</translation>
    </message>
</context>
<context>
    <name>CrimeTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Party · cause</source>
        <translation>当事人 · 案由</translation>
    </message>
    <message>
        <source>Police organisation</source>
        <translation>公安机关</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>期限</translation>
    </message>
</context>
<context>
    <name>CrimeView</name>
    <message>
        <source>No criminal referral selected</source>
        <translation>未选择涉嫌犯罪案件移送</translation>
    </message>
    <message>
        <source>Choose a referral in the list. A squad leader starts one from a case with “Refer to police”.</source>
        <translation>请在列表中选择一项移送。中队长在案件页点击“移送公安”发起移送。</translation>
    </message>
    <message>
        <source>the town&apos;s step</source>
        <translation>街镇办理</translation>
    </message>
    <message>
        <source>the police&apos;s step</source>
        <translation>公安机关办理</translation>
    </message>
    <message>
        <source>No clock runs.</source>
        <translation>当前无期限在计。</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Supervise…</source>
        <translation>督办…</translation>
    </message>
</context>
<context>
    <name>CriminalReferralPage</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <source>All police organisations</source>
        <translation>全部公安机关</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>仅看逾期</translation>
    </message>
    <message>
        <source>Number or party</source>
        <translation>编号或当事人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Refer a case to a town…</source>
        <translation>移送街镇作行政处罚…</translation>
    </message>
    <message>
        <source>The case was sent to %1; it reaches the town at the next sync.</source>
        <translation>案件已移送%1，下次同步后送达街镇。</translation>
    </message>
    <message>
        <source>%1 shown of %2</source>
        <translation>显示 %1 项，共 %2 项</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Verify audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>Database size</source>
        <translation>数据库大小</translation>
    </message>
    <message>
        <source>Changes waiting to sync</source>
        <translation>待同步的变更</translation>
    </message>
    <message>
        <source>Backups (newest first)</source>
        <translation>备份（最新的在前）</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup written: %1</source>
        <translation>备份已保存：%1</translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation>备份失败：%1</translation>
    </message>
    <message>
        <source>Checking the audit trail…</source>
        <translation>正在校验审计日志…</translation>
    </message>
</context>
<context>
    <name>DraftBanner</name>
    <message>
        <source>Continue editing</source>
        <translation>继续编辑</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>A new case typed at %1 was not saved (the program was closed unexpectedly)%2. Continue where you left off?</source>
        <translation>%1 录入的新案件尚未保存（程序意外关闭）%2。要接着录入吗？</translation>
    </message>
</context>
<context>
    <name>DraftOffer</name>
    <message>
        <source>Discard the unsaved case</source>
        <translation>丢弃未保存的案件</translation>
    </message>
    <message>
        <source>Discard the new case that was not saved? What was typed in it is deleted and cannot be restored.</source>
        <translation>丢弃这件未保存的新案件？其中已输入的内容将被删除，不能恢复。</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <source>Add evidence…</source>
        <translation>添加证据…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>This case has no evidence files.</source>
        <translation>本案件没有证据文件。</translation>
    </message>
    <message>
        <source>Save the case before adding evidence.</source>
        <translation>请先保存案件，再添加证据。</translation>
    </message>
    <message>
        <source>No evidence yet. Save the case first (Ctrl+S); then add its photos, videos and documents here.</source>
        <translation>还没有证据。请先保存案件（Ctrl+S），然后在这里添加照片、视频和文书。</translation>
    </message>
    <message>
        <source>No evidence yet. Press “Add evidence…” to add photos, videos and documents (up to 2 GiB each); they are copied into the data folder.</source>
        <translation>还没有证据。点击“添加证据…”添加照片、视频和文书（每个文件不超过 2 GiB），文件会复制到数据文件夹中。</translation>
    </message>
    <message>
        <source>%1
Size: %2 bytes
SHA-256: %3
Added by %4 at %5</source>
        <translation>%1
大小：%2 字节
SHA-256：%3
由 %4 于 %5 添加</translation>
    </message>
    <message>
        <source>waiting to download</source>
        <translation>等待下载</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <source>downloaded when opened</source>
        <translation>打开时下载</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>无法获取</translation>
    </message>
    <message>
        <source>download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <source>not here yet</source>
        <translation>尚未下载</translation>
    </message>
    <message>
        <source>The file of this evidence is not on this computer yet; it is queued and is downloaded in the background.</source>
        <translation>该证据文件尚未下载到本机，已排队，将在后台自动下载。</translation>
    </message>
    <message>
        <source>The file of this evidence is being downloaded.</source>
        <translation>该证据文件正在下载。</translation>
    </message>
    <message>
        <source>The server does not have the file of this evidence, or you may not view it.</source>
        <translation>服务器上没有该证据文件，或您无权查看。</translation>
    </message>
    <message>
        <source>The last download of this file failed its check and was discarded; open it to try again.</source>
        <translation>该证据文件上次下载校验失败，已丢弃；打开时会重新下载。</translation>
    </message>
    <message>
        <source>The file of this evidence is not on this computer yet. Log in to the server on the “Sync” page to download it.</source>
        <translation>该证据文件尚未下载到本机。请在“同步”页登录服务器，登录后会自动下载。</translation>
    </message>
    <message>
        <source>The file of this evidence is not on this computer yet, and the server cannot be reached now; it is downloaded once connected.</source>
        <translation>该证据文件尚未下载到本机，目前无法连接服务器；连接后会自动下载。</translation>
    </message>
    <message>
        <source>Downloading “%1” from the server…</source>
        <translation>正在从服务器下载“%1”…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Evidence file</source>
        <translation>证据文件</translation>
    </message>
    <message>
        <source>Add evidence</source>
        <translation>添加证据</translation>
    </message>
    <message>
        <source>Evidence (*.jpg *.jpeg *.png *.heic *.mp4 *.mov *.avi *.pdf *.doc *.docx *.txt);;All files (*)</source>
        <translation>证据文件 (*.jpg *.jpeg *.png *.heic *.mp4 *.mov *.avi *.pdf *.doc *.docx *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The file of this evidence is not on this computer yet.</source>
        <translation>本机上暂无该证据的文件。</translation>
    </message>
    <message>
        <source>The file of this evidence (%1) is above the automatic download limit and is downloaded when you open it.</source>
        <translation>该证据文件（%1）超过自动下载上限，打开时才下载。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>The file could not be opened: %1</source>
        <translation>无法打开该文件：%1</translation>
    </message>
</context>
<context>
    <name>ExtendReviewDialog</name>
    <message>
        <source>Extend the review deadline</source>
        <translation>延长审核期限</translation>
    </message>
    <message>
        <source>The deadline can be extended once. Reason:</source>
        <translation>审核期限只能延长一次。延长理由：</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search number, party, ID number, place or facts (Ctrl+F)</source>
        <translation>搜索案件编号、当事人、证件号码、案发地点或违法事实（Ctrl+F）</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All towns</source>
        <translation>全部街镇</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>仅显示超期</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to fx-desktop</source>
        <translation>欢迎使用 fx-desktop</translation>
    </message>
    <message>
        <source>Please tell us who will use this computer. Your cases stay on this computer until synchronisation with the district bureau is set up.</source>
        <translation>请填写本机使用人信息。在与区局的数据同步开通之前，案件数据仅保存在本机。</translation>
    </message>
    <message>
        <source>Type part of the name, or choose from the list</source>
        <translation>输入名称中的几个字，或从列表中选择</translation>
    </message>
    <message>
        <source>Choose your organisation first: the roles depend on it.</source>
        <translation>请先选择所属单位，可选岗位取决于单位类型。</translation>
    </message>
    <message>
        <source>Demo cases belong to towns: they are offered for a town or the district bureau.</source>
        <translation>演示案件属于街镇，仅在选择街镇或区城管执法局时提供。</translation>
    </message>
    <message>
        <source>Load demo cases to try the application</source>
        <translation>载入演示案件以试用本软件</translation>
    </message>
    <message>
        <source> cases</source>
        <translation> 件</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Your role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Your organisation</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始使用</translation>
    </message>
</context>
<context>
    <name>FormPrinter</name>
    <message>
        <source>All of the above, bound into one PDF with bookmarks</source>
        <translation>以上全部（合订为一个带书签的 PDF）</translation>
    </message>
    <message>
        <source>Legal review documents</source>
        <translation>法制审核文书合订本</translation>
    </message>
    <message>
        <source>Cannot print</source>
        <translation>无法打印</translation>
    </message>
    <message>
        <source>The document could not be made: %1</source>
        <translation>未能生成文书：%1</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <source>Issue a supervision sheet</source>
        <translation>下发督办单</translation>
    </message>
    <message>
        <source>Other matter (no record)</source>
        <translation>其他事项（无关联记录）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>May be left to the responsible unit when it signs</source>
        <translation>可留空，由责任单位签收时填写</translation>
    </message>
    <message>
        <source>Matter *</source>
        <translation>督办事项 *</translation>
    </message>
    <message>
        <source>Responsible unit *</source>
        <translation>责任单位 *</translation>
    </message>
    <message>
        <source>Completion deadline *</source>
        <translation>办结时限 *</translation>
    </message>
    <message>
        <source>Leader in charge</source>
        <translation>分管领导</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
</context>
<context>
    <name>ItemsTable</name>
    <message>
        <source>Item</source>
        <translation>物品名称</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>状况</translation>
    </message>
    <message>
        <source>Where kept</source>
        <translation>存放地点</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>LimitedTextEdit</name>
    <message>
        <source>%1 / %2 characters</source>
        <translation>已输入 %1 / 上限 %2 字</translation>
    </message>
    <message>
        <source>Limit of %1 characters reached: %2 characters were not entered.</source>
        <translation>已达到上限 %1 字，多出的 %2 字未输入。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>No secure storage</source>
        <translation>无法安全保存登录凭据</translation>
    </message>
    <message>
        <source>To stay logged in across restarts, enable the system keyring (for example GNOME Keyring) and log in again.</source>
        <translation>如需重启后仍保持登录，请启用系统密钥环（如 GNOME Keyring）后重新登录。</translation>
    </message>
    <message>
        <source>Stay logged in for this run only</source>
        <translation>仅本次运行保持登录</translation>
    </message>
    <message>
        <source>Do not log in</source>
        <translation>不登录</translation>
    </message>
    <message>
        <source>Log in to the bureau server</source>
        <translation>登录区局服务器</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Offline login</source>
        <translation>离线登录</translation>
    </message>
    <message>
        <source>Check the password against the last online login on this computer; syncing starts after the next online login.</source>
        <translation>用本机上次联网登录时的记录核对密码；下次联网登录后才开始同步。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The password is used once to log in and is not stored.</source>
        <translation>密码仅用于本次登录，不会被保存。</translation>
    </message>
    <message>
        <source>server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Please fill in: %1.</source>
        <translation>请填写：%1。</translation>
    </message>
    <message>
        <source>Not logged in: there is no secure place to keep the login on this computer. Enable the system keyring, then log in again.</source>
        <translation>未登录：本机没有可安全保存登录凭据的地方。请启用系统密钥环后重新登录。</translation>
    </message>
    <message>
        <source> You have logged in on this computer before: “Offline login” lets you keep working.</source>
        <translation>您曾在本机联网登录过，可点击“离线登录”继续工作。</translation>
    </message>
    <message>
        <source>Login failed: %1</source>
        <translation>登录失败：%1。请核对服务器地址后重试。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Fengxian enforcement coordination — case register</source>
        <translation>奉贤城管执法协同 — 案件登记</translation>
    </message>
    <message>
        <source>Back to the workbench (Alt+←)</source>
        <translation>返回工作台（Alt+←）</translation>
    </message>
    <message>
        <source>Case register</source>
        <translation>案件登记</translation>
    </message>
    <message>
        <source>Data and backups</source>
        <translation>数据与备份</translation>
    </message>
    <message>
        <source>Legal review</source>
        <translation>法制审核</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Workbench</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Referrals received</source>
        <translation>移送收件</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>移送</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>Police assistance</source>
        <translation>公安协助</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>District bureau</source>
        <translation>区局</translation>
    </message>
    <message>
        <source>%1 open, %2 overdue</source>
        <translation>未办结 %1 件，逾期 %2 件</translation>
    </message>
    <message>
        <source>%1 to do, %2 overdue</source>
        <translation>待办 %1 项，其中逾期 %2 项</translation>
    </message>
    <message>
        <source>%1 waiting for review, %2 overdue</source>
        <translation>%1 件待审核，%2 件已逾期</translation>
    </message>
    <message>
        <source>%1 open referrals, %2 overdue</source>
        <translation>%1 件移送办理中，%2 件已逾期</translation>
    </message>
    <message>
        <source>%1 conflicts to settle</source>
        <translation>%1 处冲突待处理</translation>
    </message>
    <message>
        <source>%1 changes waiting to sync</source>
        <translation>%1 条变更待同步</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>New case</source>
        <translation>新建案件</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show toolbar</source>
        <translation>显示工具栏</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Back to %1 (Alt+←)</source>
        <translation>返回%1（Alt+←）</translation>
    </message>
    <message>
        <source>Unsaved changes restored; press Ctrl+S to save them.</source>
        <translation>已恢复未保存的内容，请按 Ctrl+S 保存。</translation>
    </message>
    <message>
        <source>the workbench</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>the review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>the case register</source>
        <translation>案件登记</translation>
    </message>
    <message>
        <source>the referrals</source>
        <translation>移送</translation>
    </message>
    <message>
        <source>the previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>the police assistance requests</source>
        <translation>公安协助列表</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Case register, legal review, case referrals and sync with the district bureau; works offline.</source>
        <translation>案件登记、法制审核、案件移送，与区局服务器同步；断网也能办理。</translation>
    </message>
    <message>
        <source>About fx-desktop</source>
        <translation>关于 fx-desktop</translation>
    </message>
    <message>
        <source>fx-desktop version %1</source>
        <translation>fx-desktop 版本 %1</translation>
    </message>
    <message>
        <source>Criminal referrals</source>
        <translation>刑事移送</translation>
    </message>
</context>
<context>
    <name>MaterialsTable</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <source>Evidence file attached</source>
        <translation>所附证据文件</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>MeetingList</name>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Title or number</source>
        <translation>会议名称或期号</translation>
    </message>
    <message>
        <source>New meeting…</source>
        <translation>新建会议…</translation>
    </message>
    <message>
        <source>Training record…</source>
        <translation>培训记录…</translation>
    </message>
    <message>
        <source>Training record</source>
        <translation>培训记录</translation>
    </message>
    <message>
        <source>Whose training record? (the name as on the sign-in sheet)</source>
        <translation>查看谁的培训记录？（姓名与签到表一致）</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>期号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>会议类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>会议名称</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>会议时间</translation>
    </message>
    <message>
        <source>Convened by</source>
        <translation>召集单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <source>No meetings yet. Office staff and squad leaders prepare one with “New meeting”.</source>
        <translation>还没有会议。内勤或中队长可点击“新建会议”筹备会议。</translation>
    </message>
    <message>
        <source>Training record of %1</source>
        <translation>%1的培训记录</translation>
    </message>
    <message>
        <source>No training attended is recorded for %1.</source>
        <translation>没有%1参加培训的记录。</translation>
    </message>
</context>
<context>
    <name>MeetingPage</name>
    <message>
        <source>Back to the list (Esc)</source>
        <translation>返回列表（Esc）</translation>
    </message>
    <message>
        <source>Send the notice</source>
        <translation>发出会议通知</translation>
    </message>
    <message>
        <source>Cancel the meeting…</source>
        <translation>取消会议…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Details and invitees</source>
        <translation>基本信息与参会人员</translation>
    </message>
    <message>
        <source>Agenda</source>
        <translation>议程</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>会议类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>会议名称</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>会议时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>会议地点</translation>
    </message>
    <message>
        <source>Minute-taker</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Chair</source>
        <translation>主持人</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人及电话</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>出席情况</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Attended (1)</source>
        <translation>出席（1）</translation>
    </message>
    <message>
        <source>On leave (2)</source>
        <translation>请假（2）</translation>
    </message>
    <message>
        <source>Observer (3)</source>
        <translation>列席（3）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save attendance</source>
        <translation>保存出席情况</translation>
    </message>
    <message>
        <source>Save details</source>
        <translation>保存会议信息</translation>
    </message>
    <message>
        <source>Invitees</source>
        <translation>参会单位和人员</translation>
    </message>
    <message>
        <source>Invitees (select rows and press 1 attended, 2 on leave, 3 observer, 0 clear)</source>
        <translation>参会单位和人员（选中后按 1 出席、2 请假、3 列席、0 清除）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>议题</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Carried over from</source>
        <translation>结转自</translation>
    </message>
    <message>
        <source>Presenter</source>
        <translation>汇报单位</translation>
    </message>
    <message>
        <source>No agenda yet: propose one from the open problems, or add topics.</source>
        <translation>还没有议程：可按未结问题生成建议议程，或手工添加议题。</translation>
    </message>
    <message>
        <source>Propose from open problems</source>
        <translation>按未结问题生成建议议程</translation>
    </message>
    <message>
        <source>Add topic</source>
        <translation>添加议题</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Save agenda</source>
        <translation>保存议程</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>The body before the agreed items, e.g. “On 20 November … the meeting agreed:”</source>
        <translation>议定事项前的正文，如“11月20日，……召开……会议。会议议定：”</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Lead unit</source>
        <translation>牵头单位</translation>
    </message>
    <message>
        <source>Supporting units</source>
        <translation>配合单位</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>完成时限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Supervision sheet</source>
        <translation>督办单</translation>
    </message>
    <message>
        <source>Add agreed item…</source>
        <translation>添加议定事项…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Supervise…</source>
        <translation>督办…</translation>
    </message>
    <message>
        <source>Issue a supervision sheet for the selected agreed item of the signed minutes, or open the one already following it up</source>
        <translation>为已签发纪要中选中的议定事项下发督办单；已在督办的，打开其督办单</translation>
    </message>
    <message>
        <source>Save minutes</source>
        <translation>保存纪要</translation>
    </message>
    <message>
        <source>Circulate to the units</source>
        <translation>传阅给参会单位</translation>
    </message>
    <message>
        <source>Sign off…</source>
        <translation>签发…</translation>
    </message>
    <message>
        <source>Amend (new version)…</source>
        <translation>修订（生成新版本）…</translation>
    </message>
    <message>
        <source>Your unit&apos;s comment on the circulated minutes</source>
        <translation>本单位对传阅纪要的意见</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>提出意见</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Agreed items</source>
        <translation>议定事项</translation>
    </message>
    <message>
        <source>Comments of the units</source>
        <translation>各单位意见</translation>
    </message>
    <message>
        <source>(a person typed in: unit below)</source>
        <translation>（手工填写的人员：在此输入单位名称）</translation>
    </message>
    <message>
        <source>no number yet</source>
        <translation>尚未编号</translation>
    </message>
    <message>
        <source>%1 · convened by %2 · %3 · minutes: %4%5</source>
        <translation>%1 · 召集单位：%2 · %3 · 纪要：%4%5</translation>
    </message>
    <message>
        <source> · waiting to sync</source>
        <translation> · 等待同步</translation>
    </message>
    <message>
        <source>Version %1 (%2)</source>
        <translation>第%1版（%2）</translation>
    </message>
    <message>
        <source>carried over from %1</source>
        <translation>结转自%1</translation>
    </message>
    <message>
        <source>No minutes yet: write the body and the agreed items, then save.</source>
        <translation>尚未编写纪要：请填写正文和议定事项后保存。</translation>
    </message>
    <message>
        <source>Minutes version %1: %2</source>
        <translation>会议纪要第%1版：%2</translation>
    </message>
    <message>
        <source> — locked; a change makes a new version</source>
        <translation> —— 已锁定，修改将生成新版本</translation>
    </message>
    <message>
        <source>Open supervision sheet</source>
        <translation>查看督办单</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Add an invitee</source>
        <translation>添加参会人员</translation>
    </message>
    <message>
        <source>Choose a unit from the list, or type the unit&apos;s name and the person&apos;s name.</source>
        <translation>请从名单中选择单位，或填写单位名称和姓名。</translation>
    </message>
    <message>
        <source>Save the invitees first (Save details), then record their attendance.</source>
        <translation>请先保存参会人员（保存会议信息），再登记出席情况。</translation>
    </message>
    <message>
        <source>Cancel the meeting</source>
        <translation>取消会议</translation>
    </message>
    <message>
        <source>Why is the meeting cancelled?</source>
        <translation>取消会议的理由：</translation>
    </message>
    <message>
        <source>Propose the agenda</source>
        <translation>生成建议议程</translation>
    </message>
    <message>
        <source>No open problem to add: no overdue referral, disputed clue, open agreed item or consultation item.</source>
        <translation>没有可加入的未结问题：没有逾期的移送、争议线索、未办结的议定事项或协调会商事项。</translation>
    </message>
    <message>
        <source>Sign off the minutes</source>
        <translation>签发会议纪要</translation>
    </message>
    <message>
        <source>Sign off version %1 of the minutes? Signed minutes are locked: a later change makes a new version.</source>
        <translation>签发第%1版会议纪要？签发后纪要锁定，之后的修改将生成新版本。</translation>
    </message>
    <message>
        <source>Amend the signed minutes</source>
        <translation>修订已签发的纪要</translation>
    </message>
    <message>
        <source>Why are the signed minutes changed? A new version is made; the signed one is kept.</source>
        <translation>修订已签发纪要的理由（将生成新版本，原版本保留）：</translation>
    </message>
</context>
<context>
    <name>MeetingsSection</name>
    <message>
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Consultation item list</source>
        <translation>协调会商事项清单</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
    <message>
        <source>Title of the meeting</source>
        <translation>会议名称：</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Edit merge: %1</source>
        <translation>编辑合并：%1</translation>
    </message>
    <message>
        <source>One officer per line: name, a space, certificate number.</source>
        <translation>每行一名承办人员：姓名、空格、执法证号。</translation>
    </message>
    <message>
        <source>Date and time as 2025-12-01 10:30.</source>
        <translation>日期和时间写成 2025-12-01 10:30 的格式。</translation>
    </message>
    <message>
        <source>Write the value the case should have; the other values stay visible on the “Sync” page until this is sent.</source>
        <translation>请填写该字段应有的值；发送到服务器之前，其他值仍可在“同步”页查看。</translation>
    </message>
</context>
<context>
    <name>PeriodDialog</name>
    <message>
        <source>Supervision report</source>
        <translation>督办通报</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>The end of the period cannot be before its start.</source>
        <translation>通报期间的结束日期不能早于开始日期。</translation>
    </message>
</context>
<context>
    <name>PoliceAsks</name>
    <message>
        <source>Keep order on site</source>
        <translation>维持现场秩序</translation>
    </message>
    <message>
        <source>Verify the party&apos;s identity</source>
        <translation>核实当事人身份</translation>
    </message>
    <message>
        <source>Deal with obstruction of officers</source>
        <translation>处置妨碍执行职务</translation>
    </message>
</context>
<context>
    <name>PoliceRequestDialog</name>
    <message>
        <source>Request police assistance</source>
        <translation>提请公安协助</translation>
    </message>
    <message>
        <source>Emergency on site (应急处置)</source>
        <translation>应急处置（现场阻挠、暴力抗法）</translation>
    </message>
    <message>
        <source>Planned joint operation (专项协作)</source>
        <translation>专项协作（计划中的联合行动）</translation>
    </message>
    <message>
        <source>Public opinion (舆情应对)</source>
        <translation>舆情应对</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>情形</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>接收的公安机关</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Asked of the police</source>
        <translation>请求协助事项</translation>
    </message>
    <message>
        <source>Called at</source>
        <translation>报警时间</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始时间</translation>
    </message>
    <message>
        <source>Planned end</source>
        <translation>计划结束时间</translation>
    </message>
    <message>
        <source>Police officers needed</source>
        <translation>需要警力（人）</translation>
    </message>
    <message>
        <source>People expected on site</source>
        <translation>预计现场人数</translation>
    </message>
    <message>
        <source>Situation and risks</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>Save and send to the police</source>
        <translation>保存并提请公安</translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation>保存为草稿</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Only the situation, place, party and what is asked are needed now; the rest can be completed later on the request&apos;s page. Saved on this computer at once.</source>
        <translation>现在只需填写情形、地点、当事人和请求协助事项，其余内容可稍后在申请页面补录。保存即存于本机，无需等待网络。</translation>
    </message>
    <message>
        <source>The request could not be saved: %1.</source>
        <translation>公安协助申请未能保存：%1。</translation>
    </message>
</context>
<context>
    <name>PoliceRequestList</name>
    <message>
        <source>All situations</source>
        <translation>全部情形</translation>
    </message>
    <message>
        <source>All police</source>
        <translation>全部公安机关</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>New request…</source>
        <translation>新建申请…</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>公安机关</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>申请数</translation>
    </message>
    <message>
        <source>Figures for the filter above</source>
        <translation>统计（按上方筛选条件）</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>共 %1 件申请</translation>
    </message>
    <message>
        <source>Median time from call to arrival: %1 minutes (%2 arrivals)</source>
        <translation>报警至民警到场时间中位数：%1 分钟（%2 次到场）</translation>
    </message>
</context>
<context>
    <name>PoliceRequestPage</name>
    <message>
        <source>File with the police</source>
        <translation>提请公安</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>审批同意</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>接警确认</translation>
    </message>
    <message>
        <source>Record arrival</source>
        <translation>登记到场</translation>
    </message>
    <message>
        <source>Record identity check</source>
        <translation>登记身份核实</translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation>登记处置结果</translation>
    </message>
    <message>
        <source>Use the verified identity for the case</source>
        <translation>将核实的身份填入案件</translation>
    </message>
    <message>
        <source>Open the case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>Supervise…</source>
        <translation>督办…</translation>
    </message>
    <message>
        <source>Letter to the police</source>
        <translation>提请公安机关协助函</translation>
    </message>
    <message>
        <source>Record form</source>
        <translation>公安协助登记表</translation>
    </message>
    <message>
        <source>Police steps</source>
        <translation>公安处置情况</translation>
    </message>
    <message>
        <source>Complete the record</source>
        <translation>补录</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>特急</translation>
    </message>
    <message>
        <source>Obstruction before</source>
        <translation>此前有阻挠</translation>
    </message>
    <message>
        <source>Dogs or tools</source>
        <translation>有犬只或器械</translation>
    </message>
    <message>
        <source>Risk of a group incident</source>
        <translation>有群体性事件风险</translation>
    </message>
    <message>
        <source>File ids, separated by commas</source>
        <translation>文件编号，用逗号分隔</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Called at</source>
        <translation>报警时间</translation>
    </message>
    <message>
        <source>Police incident number</source>
        <translation>警情编号</translation>
    </message>
    <message>
        <source>People expected, risks</source>
        <translation>预计人数、风险</translation>
    </message>
    <message>
        <source>Risk assessment</source>
        <translation>风险评估</translation>
    </message>
    <message>
        <source>Police officers needed</source>
        <translation>需要警力（人）</translation>
    </message>
    <message>
        <source>Situation and risks</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>Contact (name, phone)</source>
        <translation>联系人（姓名、电话）</translation>
    </message>
    <message>
        <source>Body-camera files</source>
        <translation>执法记录仪文件</translation>
    </message>
    <message>
        <source>Injuries or damage</source>
        <translation>人员受伤或财物损坏</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>后续处理</translation>
    </message>
    <message>
        <source>Save the completed record</source>
        <translation>保存补录内容</translation>
    </message>
    <message>
        <source>(draft)</source>
        <translation>（草稿）</translation>
    </message>
    <message>
        <source>Police assistance</source>
        <translation>公安协助</translation>
    </message>
    <message>
        <source>Applying squad</source>
        <translation>提请单位</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>公安机关</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Asked of the police</source>
        <translation>请求协助事项</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Logged by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Still to complete: %1</source>
        <translation>尚待补录：%1</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>接警确认</translation>
    </message>
    <message>
        <source>Arrival</source>
        <translation>民警到场</translation>
    </message>
    <message>
        <source>Identity check</source>
        <translation>身份核实</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未录入</translation>
    </message>
    <message>
        <source>Incident number</source>
        <translation>警情编号</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入：</translation>
    </message>
    <message>
        <source>entered by the squad for the police</source>
        <translation>由中队代公安录入</translation>
    </message>
    <message>
        <source>The request could not be saved: %1.</source>
        <translation>公安协助申请未能保存：%1。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>One officer a line: name and police number</source>
        <translation>每行一位民警：姓名 警号</translation>
    </message>
    <message>
        <source>Arrived at</source>
        <translation>到场时间</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>到场民警</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>处置情况</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <source>The station has no account here: no reason needed</source>
        <translation>该公安机关在本系统没有账号，无需说明原因</translation>
    </message>
    <message>
        <source>Use the verified identity</source>
        <translation>使用公安核实的身份</translation>
    </message>
    <message>
        <source>Put %1 into the case&apos;s party fields? The change is checked as usual and shown in the case&apos;s timeline.</source>
        <translation>将 %1 填入案件的当事人信息吗？修改将照常校验，并记入案件时间线。</translation>
    </message>
    <message>
        <source>The case&apos;s party now carries the identity the police verified.</source>
        <translation>案件当事人信息已更新为公安核实的身份。</translation>
    </message>
</context>
<context>
    <name>PoliceRequestTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>情形</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>公安机关</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Called at</source>
        <translation>报警时间</translation>
    </message>
    <message>
        <source>Minutes to arrive</source>
        <translation>到场（分钟）</translation>
    </message>
    <message>
        <source>(draft)</source>
        <translation>（草稿）</translation>
    </message>
</context>
<context>
    <name>PoliceReturnDialog</name>
    <message>
        <source>Refer a case to a town for an administrative penalty</source>
        <translation>移送街镇依法作行政处罚</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>自然人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Town *</source>
        <translation>接收街镇 *</translation>
    </message>
    <message>
        <source>Letter number *</source>
        <translation>移送文书文号 *</translation>
    </message>
    <message>
        <source>Why an administrative penalty *</source>
        <translation>移送理由（不需追究刑事责任、应予行政处罚）*</translation>
    </message>
    <message>
        <source>Party type</source>
        <translation>当事人类型</translation>
    </message>
    <message>
        <source>Party *</source>
        <translation>当事人姓名/名称 *</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Cause *</source>
        <translation>案由 *</translation>
    </message>
    <message>
        <source>Category *</source>
        <translation>案件类别 *</translation>
    </message>
    <message>
        <source>Place *</source>
        <translation>案发地点 *</translation>
    </message>
    <message>
        <source>Time of the conduct *</source>
        <translation>案发时间 *</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>违法事实</translation>
    </message>
    <message>
        <source>Materials (files)</source>
        <translation>移送材料（文件）</translation>
    </message>
    <message>
        <source>Refer to the town</source>
        <translation>移送街镇</translation>
    </message>
    <message>
        <source>Materials from the police</source>
        <translation>公安机关的移送材料</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>“%1” cannot be shown: it is not a valid PDF file.</source>
        <translation>无法显示“%1”：不是有效的 PDF 文件。</translation>
    </message>
    <message>
        <source>Page </source>
        <translation>第 </translation>
    </message>
    <message numerus="yes">
        <source> of %n</source>
        <translation>
            <numerusform> 页 / 共 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>Type a page number and press Enter</source>
        <translation>输入页码后按回车键跳转</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>The printer “%1” could not be started. Check that it is switched on and connected, or save the document as PDF.</source>
        <translation>无法启动打印机“%1”。请检查打印机是否已开机并连接，或先将文书另存为 PDF。</translation>
    </message>
    <message>
        <source>Printing “%1”…</source>
        <translation>正在打印“%1”…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The document could not be sent to the printer. Please try again, or save it as PDF.</source>
        <translation>文书未能发送到打印机。请重试，或先另存为 PDF。</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>没有打印机</translation>
    </message>
    <message>
        <source>No printer was found. You can “Save as PDF” first, then print the file on a computer that has a printer.</source>
        <translation>未找到可用的打印机。您可以先“另存为 PDF”，再在连接打印机的电脑上打印。</translation>
    </message>
    <message>
        <source>Print “%1”</source>
        <translation>打印“%1”</translation>
    </message>
    <message>
        <source>PDF not saved</source>
        <translation>PDF 未保存</translation>
    </message>
    <message>
        <source>The PDF could not be saved as %1: %2.

Nothing was lost: the preview stays open. Please choose another folder and save again.</source>
        <translation>PDF 未能保存为 %1：%2。

没有丢失任何内容，预览窗口仍保持打开。请换一个文件夹后重新保存。</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘空间已满</translation>
    </message>
    <message>
        <source>you have no permission to write in that folder</source>
        <translation>您没有在该文件夹中写入文件的权限</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>该文件夹不存在</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Database cannot be opened</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The case database
%1
cannot be read (%2).</source>
        <translation>无法读取案件数据库
%1
（%2）。</translation>
    </message>
    <message>
        <source>No backup was found. The file has not been changed; please contact your administrator.</source>
        <translation>未找到备份。数据库文件未作任何改动，请联系系统管理员。</translation>
    </message>
    <message>
        <source>Restore the latest backup %1? The damaged file will be kept next to it under a new name, not overwritten.</source>
        <translation>是否恢复最新备份 %1？损坏的文件将改名后保留在同一目录，不会被覆盖。</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>ReferralActions</name>
    <message>
        <source>Return referral %1</source>
        <translation>退回移送 %1</translation>
    </message>
    <message>
        <source>The referral goes back to the town, whose case is open again. A reason is required: say why your department does not take the case.</source>
        <translation>退回后，移送单位的案件将恢复办理。必须填写退回理由：说明本单位不予接收的原因。</translation>
    </message>
    <message>
        <source>Return referral %1 to the town? Your department then no longer has it; this cannot be undone.</source>
        <translation>将移送 %1 退回街镇？退回后本部门不再承办该移送，且无法撤回。</translation>
    </message>
    <message>
        <source>Withdraw referral %1</source>
        <translation>撤回移送 %1</translation>
    </message>
    <message>
        <source>The department has not signed for it yet. The case returns to the squad with the status it had before. A reason is required.</source>
        <translation>接收单位尚未签收。撤回后案件回到中队，恢复移送前的状态。必须填写撤回理由。</translation>
    </message>
    <message>
        <source>Withdraw referral %1? The department can no longer sign for it; a new referral would have to be made. This cannot be undone.</source>
        <translation>撤回移送 %1？撤回后接收部门不能再签收，如需移送须重新办理，且无法恢复。</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <source>Refer case %1 to a department</source>
        <translation>移送案件 %1</translation>
    </message>
    <message>
        <source>Type to search the departments</source>
        <translation>输入部门名称搜索</translation>
    </message>
    <message>
        <source>Why the case is not for this town to handle and which department has jurisdiction</source>
        <translation>说明本案不属于本单位管辖的原因，以及由哪个部门管辖</translation>
    </message>
    <message>
        <source>The provisions that give the department jurisdiction</source>
        <translation>接收部门具有管辖权的法律、法规条款</translation>
    </message>
    <message>
        <source>What was found: who, when, where, what was done</source>
        <translation>违法行为概要：当事人、时间、地点、行为</translation>
    </message>
    <message>
        <source>Receiving department *</source>
        <translation>接收部门 *</translation>
    </message>
    <message>
        <source>Reason for referral *</source>
        <translation>移送理由 *</translation>
    </message>
    <message>
        <source>Legal basis *</source>
        <translation>法律依据 *</translation>
    </message>
    <message>
        <source>Summary of the conduct *</source>
        <translation>违法行为概要 *</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Contact *</source>
        <translation>联系人 *</translation>
    </message>
    <message>
        <source>Materials referred (numbered, with page counts) *</source>
        <translation>移送材料（按序号列出，注明页数）*</translation>
    </message>
    <message>
        <source>Seized items handed over</source>
        <translation>移交的涉案物品</translation>
    </message>
    <message>
        <source>Submit referral</source>
        <translation>提交移送</translation>
    </message>
    <message>
        <source>Ctrl+Enter submits; Esc closes (you are asked before typed text is discarded).</source>
        <translation>Ctrl+Enter 提交；Esc 关闭（放弃已填写的内容前会先询问）。</translation>
    </message>
    <message>
        <source>Not saved: %1. What you typed is still in the form.</source>
        <translation>未保存：%1。已填写的内容仍在表单中。</translation>
    </message>
    <message>
        <source>Discard the referral?</source>
        <translation>放弃移送？</translation>
    </message>
    <message>
        <source>The referral form has text you typed. Close it and discard what you typed?</source>
        <translation>移送表单中有已填写的内容。关闭并放弃这些内容吗？</translation>
    </message>
</context>
<context>
    <name>ReferralInbox</name>
    <message>
        <source>Open referrals</source>
        <translation>办理中的移送</translation>
    </message>
    <message>
        <source>All referrals</source>
        <translation>全部移送</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open the case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The referrals could not be read: %1</source>
        <translation>无法读取移送记录：%1</translation>
    </message>
    <message>
        <source>%1 shown, %2 overdue</source>
        <translation>共 %1 件，逾期 %2 件</translation>
    </message>
    <message>
        <source>No referral here. Referrals the towns send to your organisation arrive with each sync; sign for them, accept or return them, and report the result here.</source>
        <translation>这里还没有移送。各街镇移送给本单位的案件会在每次同步后出现在这里；请在这里签收、受理或退回，并反馈处理结果。</translation>
    </message>
    <message>
        <source>No referral here. A squad leader refers a case that is not within the town&apos;s remit with “Refer” above the case; it then appears here until the department reports.</source>
        <translation>这里还没有移送。不属于本街镇管辖的案件，由中队长在案件上方点击“移送”办理；移送后会出现在这里，直至接收部门反馈结果。</translation>
    </message>
    <message>
        <source>Show all referrals</source>
        <translation>显示全部移送</translation>
    </message>
    <message>
        <source>Choose a referral in the list to see it here.</source>
        <translation>请在左侧列表中选择一件移送，在此查看详情。</translation>
    </message>
</context>
<context>
    <name>ReferralTableModel</name>
    <message>
        <source>Referral number</source>
        <translation>移送编号</translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation>移送单位</translation>
    </message>
    <message>
        <source>Referred to</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Overdue: %1</source>
        <translation>已逾期：%1</translation>
    </message>
</context>
<context>
    <name>ReferralView</name>
    <message>
        <source>Sign for it…</source>
        <translation>签收…</translation>
    </message>
    <message>
        <source>Accept…</source>
        <translation>受理…</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Record the result…</source>
        <translation>反馈结果…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>Supervise…</source>
        <translation>督办…</translation>
    </message>
    <message>
        <source>Referral letter</source>
        <translation>案件移送函</translation>
    </message>
    <message>
        <source>Item list</source>
        <translation>移送物品清单</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Print:</source>
        <translation>打印：</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <source>Evidence file</source>
        <translation>证据文件</translation>
    </message>
    <message>
        <source>No evidence file was referred with this referral.</source>
        <translation>本次移送没有附带证据文件。</translation>
    </message>
    <message>
        <source>Evidence files referred (double-click to open; fetched from the server when not on this computer yet)</source>
        <translation>随案移送的证据文件（双击打开；本机尚无的文件将从服务器下载）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品名称</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>状况</translation>
    </message>
    <message>
        <source>Where kept</source>
        <translation>存放地点</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>办理人</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Referral and case</source>
        <translation>移送概况</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>移送材料</translation>
    </message>
    <message>
        <source>Seized items</source>
        <translation>移送物品</translation>
    </message>
    <message>
        <source>Steps so far</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <source>Referral %1 — %2</source>
        <translation>移送 %1 —— %2</translation>
    </message>
    <message>
        <source>(number pending)</source>
        <translation>（编号待分配）</translation>
    </message>
    <message>
        <source>%1 → %2 · referred %3 by %4</source>
        <translation>%1 → %2 · %3 由 %4 移送</translation>
    </message>
    <message>
        <source>Returned by %1 on %2. Reason: %3</source>
        <translation>%1 于 %2 退回。退回理由：%3</translation>
    </message>
    <message>
        <source>Not signed yet: prints a blank receipt to fill in by hand.</source>
        <translation>尚未签收：打印空白回执，由接收单位手工填写。</translation>
    </message>
    <message>
        <source>Seized items (%1)</source>
        <translation>移送物品（%1）</translation>
    </message>
    <message>
        <source>— OVERDUE</source>
        <translation>—— 已逾期</translation>
    </message>
    <message>
        <source>Receipt due %1</source>
        <translation>签收期限 %1</translation>
    </message>
    <message>
        <source>Result due %1</source>
        <translation>反馈期限 %1</translation>
    </message>
    <message>
        <source>Reason for referral</source>
        <translation>移送理由</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>Summary of the conduct</source>
        <translation>违法行为概要</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>ID number / credit code</source>
        <translation>身份证号 / 信用代码</translation>
    </message>
    <message>
        <source>Party address</source>
        <translation>当事人地址</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Time of conduct</source>
        <translation>违法时间</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>违法事实</translation>
    </message>
    <message>
        <source>Materials (%1)</source>
        <translation>移送材料（%1）</translation>
    </message>
</context>
<context>
    <name>RefusedBanner</name>
    <message>
        <source>The bureau did not accept this case</source>
        <translation>该案件未被区局接受</translation>
    </message>
    <message>
        <source>Everything you entered is kept on this computer. Correct the case as the reason says, then press “Resubmit”; or discard it if it is no longer needed.</source>
        <translation>您填写的全部内容都保留在本机。请按上述原因修改案件后点“重新提交”；如不再需要，可放弃此草稿。</translation>
    </message>
    <message>
        <source>Resubmit</source>
        <translation>重新提交</translation>
    </message>
    <message>
        <source>Discard draft…</source>
        <translation>放弃草稿…</translation>
    </message>
    <message>
        <source>Reason given by the bureau (%1): %2</source>
        <translation>区局拒绝的原因（%1）：%2</translation>
    </message>
</context>
<context>
    <name>RejectedView</name>
    <message>
        <source>The server rejected this change</source>
        <translation>服务器拒绝了这项变更</translation>
    </message>
    <message>
        <source>The case stays on this computer only, marked as not accepted. Open it, correct it as the reason says and press “Resubmit”, or discard it.</source>
        <translation>该案件仅保留在本机，标为“未被区局接受”。请打开案件，按原因修改后点“重新提交”，或放弃此草稿。</translation>
    </message>
    <message>
        <source>The change stays on this computer only. Open the case, check it against the reason, and make the change again if it is still needed.</source>
        <translation>这项变更只保留在本机。请打开案件，对照拒绝原因核对；如仍需要，请重新修改。</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ResultDialog</name>
    <message>
        <source>Result of referral %1</source>
        <translation>反馈移送 %1 的处理结果</translation>
    </message>
    <message>
        <source>Reasons (required for “not filed” and “other”)</source>
        <translation>理由（“不予立案”和“其他”须填写）</translation>
    </message>
    <message>
        <source>Result *</source>
        <translation>处理结果 *</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>ReviewDesk</name>
    <message>
        <source>Back (Esc)</source>
        <translation>返回（Esc）</translation>
    </message>
    <message>
        <source>Previous (%1)</source>
        <translation>上一件（%1）</translation>
    </message>
    <message>
        <source>Next (%1)</source>
        <translation>下一件（%1）</translation>
    </message>
    <message>
        <source>Extend the deadline…</source>
        <translation>延长审核期限…</translation>
    </message>
    <message>
        <source>Record the review…</source>
        <translation>提交审核结论…</translation>
    </message>
    <message>
        <source>Check the answer, then confirm it (%1)</source>
        <translation>检查审核结论，再确认提交（%1）</translation>
    </message>
    <message>
        <source>Confirm and save</source>
        <translation>确认提交</translation>
    </message>
    <message>
        <source>Go back and change</source>
        <translation>返回修改</translation>
    </message>
    <message>
        <source>the review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>Back to %1 (Esc)</source>
        <translation>返回%1（Esc）</translation>
    </message>
    <message>
        <source>Back to %1</source>
        <translation>返回%1</translation>
    </message>
    <message>
        <source>The case could not be read: %1.</source>
        <translation>无法读取该案件：%1。</translation>
    </message>
    <message>
        <source>Case %1 of %2 in the queue · %3</source>
        <translation>队列第 %1 / %2 件 · %3</translation>
    </message>
    <message>
        <source>Evidence (%1 files)</source>
        <translation>证据材料（%1 个文件）</translation>
    </message>
    <message>
        <source>overdue by %1 working days</source>
        <translation>已逾期 %1 个工作日</translation>
    </message>
    <message>
        <source>%1 working days left</source>
        <translation>剩 %1 个工作日</translation>
    </message>
    <message>
        <source>Round %1, submitted by %2 on %3; due %4 (%5).</source>
        <translation>第 %1 次送审，%2 于 %3 提交；审核期限 %4（%5）。</translation>
    </message>
    <message>
        <source>Reviewer: %1 — signed with the time of saving</source>
        <translation>审核人：%1（保存时自动签署姓名和时间）</translation>
    </message>
    <message>
        <source>Only the town&apos;s legal reviewer records a review.</source>
        <translation>审核结论由本街镇的法制审核员作出。</translation>
    </message>
    <message>
        <source>Nothing is waiting for review in this case: round %1 is %2.</source>
        <translation>本案没有待审核的送审：第 %1 次送审的结果为“%2”。</translation>
    </message>
    <message>
        <source>This case is not your town&apos;s, or it is closed: it cannot be reviewed here.</source>
        <translation>该案件不属于您所在的街镇或已经办结，不能在此审核。</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Town</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Major enforcement decision: %1</source>
        <translation>重大执法决定：%1</translation>
    </message>
    <message>
        <source>Not a major enforcement decision (review requested voluntarily).</source>
        <translation>不属于重大执法决定（主动提请审核）。</translation>
    </message>
    <message>
        <source>Proposed decision</source>
        <translation>拟作处罚决定</translation>
    </message>
    <message>
        <source>not submitted</source>
        <translation>未提交</translation>
    </message>
    <message>
        <source>Materials submitted for review (round %1)</source>
        <translation>送审材料（第 %1 次送审）</translation>
    </message>
    <message>
        <source>Review request report</source>
        <translation>法制审核申请报告</translation>
    </message>
    <message>
        <source>Earlier rounds</source>
        <translation>以往审核</translation>
    </message>
    <message>
        <source>Record “%1” for case %2, round %3? Once saved the review cannot be withdrawn or changed; it is signed with your name and the time.</source>
        <translation>确认对案件 %2 第 %3 次送审作出“%1”的审核结论？保存后不能撤回或修改，并以您的姓名和保存时间签署。</translation>
    </message>
    <message>
        <source>Review deadline extended to %1.</source>
        <translation>审核期限已延长至 %1。</translation>
    </message>
    <message>
        <source>Not saved: %1.</source>
        <translation>未保存：%1。</translation>
    </message>
    <message>
        <source>Review of %1 recorded: %2 (opinion %3).</source>
        <translation>已记录案件 %1 的审核结论：%2（意见书编号 %3）。</translation>
    </message>
    <message>
        <source>Now the next case waiting.</source>
        <translation>已转到下一件待审核案件。</translation>
    </message>
    <message>
        <source>The queue is done</source>
        <translation>队列已审核完毕</translation>
    </message>
    <message>
        <source>Every case of the queue has been reviewed. Nothing else is waiting for you.</source>
        <translation>队列中的案件都已审核，没有其他待您审核的案件。</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>送审人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>审核期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>审核人</translation>
    </message>
    <message>
        <source>Submit for legal review…</source>
        <translation>提交法制审核…</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>审核…</translation>
    </message>
    <message>
        <source>Extend deadline…</source>
        <translation>延长期限…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Major enforcement decision — legal review must pass before the decision: %1</source>
        <translation>重大执法决定——须经法制审核通过后才能作出决定：%1</translation>
    </message>
    <message>
        <source>Not a major enforcement decision; legal review may still be requested.</source>
        <translation>不属于重大执法决定；如有需要仍可提请法制审核。</translation>
    </message>
    <message>
        <source>The proposed decision was changed after the review agreed to it: the squad leader withdraws the submission (“Return for revision”) and it is submitted again.</source>
        <translation>审核同意后拟处理决定又有修改，审核结论不再有效：请中队长“退回修改”撤回本次送审，修改后重新提交法制审核。</translation>
    </message>
    <message>
        <source>Not submitted for legal review yet.</source>
        <translation>尚未提交法制审核。</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>Waiting for review only</source>
        <translation>只看待审核</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Proposed decision</source>
        <translation>拟处理决定</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>送审人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>审核期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>%1 waiting for review, %2 overdue</source>
        <translation>待审核 %1 件，其中超期 %2 件</translation>
    </message>
    <message>
        <source>%1 review rounds</source>
        <translation>共 %1 次送审</translation>
    </message>
    <message>
        <source>Overdue by %1 working days</source>
        <translation>已超期 %1 个工作日</translation>
    </message>
    <message>
        <source>%1 working days left</source>
        <translation>剩余 %1 个工作日</translation>
    </message>
    <message>
        <source> (provisional: no holiday calendar for that year)</source>
        <translation>（暂按工作日推算：该年度节假日安排尚未公布）</translation>
    </message>
    <message>
        <source> (extended)</source>
        <translation>（已延长）</translation>
    </message>
    <message>
        <source>No case is waiting for legal review. Cases the town submits for review appear here, the nearest deadline first.</source>
        <translation>没有等待法制审核的案件。本街镇提交法制审核的案件会出现在这里，期限最近的排在最前。</translation>
    </message>
    <message>
        <source>Show every round</source>
        <translation>显示全部审核记录</translation>
    </message>
    <message>
        <source>No legal review yet. A case is submitted from its “Legal review” tab (“Submit for legal review…”); its rounds then appear here.</source>
        <translation>还没有法制审核记录。在案件的“法制审核”页点击“提交法制审核…”提交后，审核记录会出现在这里。</translation>
    </message>
</context>
<context>
    <name>RosterDialog</name>
    <message>
        <source>Edit officer</source>
        <translation>修改人员信息</translation>
    </message>
    <message>
        <source>Add officer</source>
        <translation>添加人员</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>姓名 *</translation>
    </message>
    <message>
        <source>Certificate no. *</source>
        <translation>执法证号 *</translation>
    </message>
    <message>
        <source>Issuing body *</source>
        <translation>发证机关 *</translation>
    </message>
    <message>
        <source>As printed on the certificate</source>
        <translation>按执法证上的号码填写</translation>
    </message>
    <message>
        <source>Shanghai Municipal People&apos;s Government</source>
        <translation>上海市人民政府</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Valid until *</source>
        <translation>有效期至 *</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位/职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>User name (optional)</source>
        <translation>系统账号（可不填）</translation>
    </message>
    <message>
        <source>Back on duty (reinstate this retired officer)</source>
        <translation>恢复在岗（重新启用该人员）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The officer was not saved: %1.</source>
        <translation>人员信息未能保存：%1。</translation>
    </message>
</context>
<context>
    <name>RosterPage</name>
    <message>
        <source>Officers and certificates</source>
        <translation>人员与执法证</translation>
    </message>
    <message>
        <source>Show retired officers</source>
        <translation>显示已停用人员</translation>
    </message>
    <message>
        <source>Add officer…</source>
        <translation>添加人员…</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Insert 键</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Retire…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>Issuing body</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位/职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Town</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>执法证</translation>
    </message>
    <message>
        <source>Training record</source>
        <translation>培训记录</translation>
    </message>
    <message>
        <source>The roster could not be read: %1.</source>
        <translation>人员名单无法读取：%1。</translation>
    </message>
    <message>
        <source>%1 officers; %2 certificates expiring soon, %3 expired</source>
        <translation>在岗 %1 人；执法证即将到期 %2 人，已过期 %3 人</translation>
    </message>
    <message>
        <source>No officers on the roster yet. Add the town&apos;s officers with their enforcement certificates.</source>
        <translation>人员名单还是空的。请添加本街镇的执法人员及其执法证。</translation>
    </message>
    <message>
        <source>No officers on the roster yet. The office staff or the squad leader keeps it.</source>
        <translation>人员名单还是空的，由内勤或中队长维护。</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Expired (%1 days ago)</source>
        <translation>已过期（%1 天）</translation>
    </message>
    <message>
        <source>Expiring soon (%1 days left)</source>
        <translation>即将到期（剩 %1 天）</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Choose an officer to see their training record.</source>
        <translation>选择一名人员，查看其培训记录。</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>系统账号</translation>
    </message>
    <message>
        <source>%1 has attended no training recorded here yet.</source>
        <translation>本机尚无 %1 参加培训的记录。</translation>
    </message>
    <message>
        <source>Retire officer</source>
        <translation>停用人员</translation>
    </message>
    <message>
        <source>Retire %1 (certificate %2)? They are no longer offered for new cases; the record stays and can be reinstated by editing it.</source>
        <translation>停用 %1（执法证号 %2）？停用后不再作为新案件的承办人员供选择；记录保留，可在“修改”中恢复在岗。</translation>
    </message>
    <message>
        <source>The officer was not retired: %1.</source>
        <translation>人员未能停用：%1。</translation>
    </message>
</context>
<context>
    <name>RowsTable</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Empty: the system&apos;s certificates</source>
        <translation>留空：使用系统自带的证书</translation>
    </message>
    <message>
        <source>Bureau server</source>
        <translation>区局服务器</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>If you are logged in, your account moves to the new address (when the server has moved); to use another server, log out on the Sync page first.</source>
        <translation>已登录时，账户随之改用新地址（用于服务器迁移）；要改用另一台服务器，请先在“同步”页退出登录。</translation>
    </message>
    <message>
        <source>District CA certificate</source>
        <translation>区 CA 证书</translation>
    </message>
    <message>
        <source>The PEM file the bureau gives you when its server certificate is issued by the district&apos;s own certification authority.</source>
        <translation>区局服务器证书由区里自建的证书机构签发时，使用区局提供的 PEM 格式证书文件。</translation>
    </message>
    <message>
        <source>Evidence files</source>
        <translation>证据文件</translation>
    </message>
    <message>
        <source>Download automatically up to</source>
        <translation>自动下载上限</translation>
    </message>
    <message>
        <source>Larger files attached on other computers are downloaded only when someone opens them; 0: all of them.</source>
        <translation>其他电脑添加的更大的证据文件在有人打开时才下载；填 0 则所有文件都在打开时才下载。</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Print font</source>
        <translation>打印字体</translation>
    </message>
    <message>
        <source>Automatic: 仿宋_GB2312 / 方正小标宋简体 / SimSun when installed, else AR PL UMing or WenQuanYi. The font is embedded in every PDF.</source>
        <translation>自动：已安装时使用仿宋_GB2312、方正小标宋简体、SimSun，否则使用 AR PL UMing 或文泉驿字体。字体总会嵌入 PDF。</translation>
    </message>
    <message>
        <source>The environment variable %1 is set and takes precedence on this computer.</source>
        <translation>本机设置了环境变量 %1，打印时以它为准。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动选择</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书文件 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>TrueType fonts (*.ttf *.ttc);;All files (*)</source>
        <translation>TrueType 字体 (*.ttf *.ttc);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The settings were not saved: %1</source>
        <translation>设置未保存：%1</translation>
    </message>
</context>
<context>
    <name>SheetStepDialog</name>
    <message>
        <source>%1 — responsible unit %2, deadline %3</source>
        <translation>%1——责任单位：%2，办结时限：%3</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>One matter per report: what was done about this matter and its result</source>
        <translation>一事一报：写明本督办事项的办理过程和结果</translation>
    </message>
    <message>
        <source>Names of the attachments, separated by 、 or commas</source>
        <translation>附件名称，用顿号或逗号分隔</translation>
    </message>
    <message>
        <source>What was done *</source>
        <translation>办理情况 *</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>New deadline asked *</source>
        <translation>申请延期至 *</translation>
    </message>
    <message>
        <source>Reason *</source>
        <translation>理由 *</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refuse (the deadline stands)</source>
        <translation>不同意（原时限不变）</translation>
    </message>
    <message>
        <source>Asked: until %1, because %2</source>
        <translation>申请延期至 %1，理由：%2</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>Decision *</source>
        <translation>审批意见 *</translation>
    </message>
    <message>
        <source>New deadline</source>
        <translation>延期后的时限</translation>
    </message>
    <message>
        <source>Opinion (required when refused)</source>
        <translation>审批意见（不同意时必填）</translation>
    </message>
    <message>
        <source>Why the result does not solve the problem, and what is still to do</source>
        <translation>说明反馈的结果为何没有解决问题、还需做什么</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Closing opinion</source>
        <translation>办结意见</translation>
    </message>
    <message>
        <source>Close supervision sheet %1? It cannot be reopened.</source>
        <translation>确定办结督办单 %1？办结后不能重新打开。</translation>
    </message>
    <message>
        <source>Withdraw supervision sheet %1? The responsible unit is told at the next sync.</source>
        <translation>确定撤销督办单 %1？下次同步时将通知责任单位。</translation>
    </message>
</context>
<context>
    <name>SheetTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>督办事项</translation>
    </message>
    <message>
        <source>Responsible unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>办结时限</translation>
    </message>
</context>
<context>
    <name>SheetView</name>
    <message>
        <source>No supervision sheet selected</source>
        <translation>未选择督办单</translation>
    </message>
    <message>
        <source>Choose a sheet in the list. The supervising office issues one with “Issue sheet…”, or from a referral, police request or criminal referral.</source>
        <translation>请在左侧列表中选择督办单。督办单位可点击“下发督办单…”，或在移送、公安协助、刑事移送页面下发督办单。</translation>
    </message>
    <message>
        <source>Deadline: %1</source>
        <translation>办结时限：%1</translation>
    </message>
    <message>
        <source>Print sheet…</source>
        <translation>打印督办单…</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Receipt for referral %1</source>
        <translation>签收移送 %1（回执）</translation>
    </message>
    <message>
        <source>Yes, as listed</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>No, something is missing or differs</source>
        <translation>不一致（有缺少或不符）</translation>
    </message>
    <message>
        <source>Which materials are missing or differ from the list</source>
        <translation>写明缺少或与清单不符的材料</translation>
    </message>
    <message>
        <source>Date received *</source>
        <translation>收到日期 *</translation>
    </message>
    <message>
        <source>Signed by *</source>
        <translation>签收人 *</translation>
    </message>
    <message>
        <source>Materials match the list? *</source>
        <translation>材料是否与清单一致 *</translation>
    </message>
    <message>
        <source>Missing materials</source>
        <translation>缺少的材料</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Why the squad enters it</source>
        <translation>代为录入的原因</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SubmitReviewDialog</name>
    <message>
        <source>Submit for legal review</source>
        <translation>提交法制审核</translation>
    </message>
    <message>
        <source>Case %1. Reasons for review: %2</source>
        <translation>案件 %1。提请审核的原因：%2</translation>
    </message>
    <message>
        <source>submitted voluntarily (not a major decision)</source>
        <translation>主动提请审核（不属于重大执法决定）</translation>
    </message>
    <message>
        <source>Materials submitted (required ones marked *)</source>
        <translation>送审材料（带 * 的为必备材料）</translation>
    </message>
    <message>
        <source> (not required: no hearing held)</source>
        <translation>（未举行听证，无需提供）</translation>
    </message>
    <message>
        <source>What is asked and why: the proposed decision, its basis, the points for the reviewer&apos;s attention.</source>
        <translation>提请审核的事项和理由：拟作出的决定及其依据、需要审核人员重点关注的问题。</translation>
    </message>
    <message>
        <source>Review request report *</source>
        <translation>法制审核申请报告 *</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <source>Issue sheet…</source>
        <translation>下发督办单…</translation>
    </message>
    <message>
        <source>Supervision report…</source>
        <translation>督办通报…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>Responsible unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>No supervision sheets yet.</source>
        <translation>还没有督办单。</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部责任单位</translation>
    </message>
    <message>
        <source>No sheet matches the filters.</source>
        <translation>没有符合筛选条件的督办单。</translation>
    </message>
    <message>
        <source>%1 shown of %2</source>
        <translation>显示 %1 项，共 %2 项</translation>
    </message>
</context>
<context>
    <name>SyncHistory</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>拉取</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No sync has run yet. Log in to the server above; the desk then syncs every few minutes, or at once with “Sync now”.</source>
        <translation>还没有同步记录。请先在上方登录服务器，之后每隔几分钟自动同步，也可点击“立即同步”。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Failed (retried %1 times)</source>
        <translation>失败（已重试 %1 次）</translation>
    </message>
    <message>
        <source>First attempt %1, last attempt %2</source>
        <translation>首次尝试 %1，最近一次 %2</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>This computer only</source>
        <translation>仅本机</translation>
    </message>
    <message>
        <source>Please log in again</source>
        <translation>请重新登录</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Syncing %1/%2</source>
        <translation>正在同步 %1/%2</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Sync error</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message>
        <source>Last synced %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source> (%1 change(s) waiting)</source>
        <translation>（%1 条变更待同步）</translation>
    </message>
    <message>
        <source> · %1 conflict(s)</source>
        <translation> · %1 处冲突</translation>
    </message>
    <message>
        <source>Downloading attachments %1/%2 (%3 MB / %4 MB)</source>
        <translation>正在下载附件 %1/%2（%3 MB / %4 MB）</translation>
    </message>
    <message>
        <source>Not logged in to the bureau server: changes are kept on this computer only. Log in on the “Sync” page to send them.</source>
        <translation>未登录区局服务器：变更只保存在本机。请在“同步”页登录后发送。</translation>
    </message>
    <message>
        <source>The login has expired or was not kept. Log in again on the “Sync” page; changes made meanwhile are kept and sent then.</source>
        <translation>登录已失效或未被保存。请在“同步”页重新登录；其间的变更保留在本机，登录后发送。</translation>
    </message>
    <message>
        <source>Connecting to the server with the saved login; syncing starts shortly.</source>
        <translation>正在用保存的登录连接服务器，稍后开始同步。</translation>
    </message>
    <message>
        <source>Syncing: sending the changes made here.</source>
        <translation>正在同步：发送本机的变更。</translation>
    </message>
    <message>
        <source>Syncing: receiving changes from the server.</source>
        <translation>正在同步：接收服务器上的变更。</translation>
    </message>
    <message>
        <source>Syncing: connecting to the server.</source>
        <translation>正在同步：连接服务器。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Keep working: changes are kept here and sent automatically as soon as the server answers again.</source>
        <translation>无法连接服务器。可以继续工作：变更保存在本机，服务器恢复后自动发送。</translation>
    </message>
    <message>
        <source>The last sync failed. It is retried automatically; if this persists, tell your administrator the message shown here.</source>
        <translation>上次同步失败，将自动重试；如一直失败，请把这里显示的信息告诉管理员。</translation>
    </message>
    <message>
        <source>Changes are sent to the server and received from it automatically.</source>
        <translation>变更会自动发送到服务器，并自动接收服务器上的变更。</translation>
    </message>
    <message>
        <source>Click to open the “Sync” page.</source>
        <translation>点击打开“同步”页。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Log in to the server…</source>
        <translation>登录服务器…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Changes waiting to be sent</source>
        <translation>待推送的变更</translation>
    </message>
    <message>
        <source>Evidence files attached on other computers are downloaded in the background after each sync up to this size; larger ones when you open them. 0: only when opened.</source>
        <translation>其他电脑添加的证据文件，不超过此大小的在每次同步后于后台自动下载；更大的在打开时下载。设为 0 则只在打开时下载。</translation>
    </message>
    <message>
        <source>(larger files are downloaded when opened)</source>
        <translation>（更大的文件在打开时下载；0 表示只在打开时下载）</translation>
    </message>
    <message>
        <source>Download evidence files automatically up to</source>
        <translation>自动下载证据文件上限</translation>
    </message>
    <message>
        <source>Conflicts and rejected changes</source>
        <translation>冲突与被拒绝的变更</translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation>同步记录</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <source>(this computer only)</source>
        <translation>（仅在本机工作，未登录服务器）</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>重新登录…</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>The setting was not saved: %1</source>
        <translation>设置未能保存：%1</translation>
    </message>
    <message>
        <source>Logged in offline: work is kept here and sent after the next online login.</source>
        <translation>已离线登录：工作保存在本机，下次联网登录后发送。</translation>
    </message>
    <message numerus="yes">
        <source>Log out of the server? This computer stops syncing. %n change(s) not yet sent stay here and are sent after the next login.</source>
        <translation>
            <numerusform>退出服务器登录？本机将停止同步。尚未发送的 %n 条变更保留在本机，下次登录后发送。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <source>No history yet. It starts when the case is first saved: every change is then recorded here with who made it and when.</source>
        <translation>还没有办案记录。案件首次保存后开始记录：每次修改都会在这里记下修改人和时间。</translation>
    </message>
</context>
<context>
    <name>VerdictForm</name>
    <message>
        <source>Review criteria</source>
        <translation>审核内容</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>说明（可选）</translation>
    </message>
    <message>
        <source>Mark all as met (no suspected crime)</source>
        <translation>全部标为符合（未发现涉嫌犯罪）</translation>
    </message>
    <message>
        <source>Outcome *</source>
        <translation>审核结论 *</translation>
    </message>
    <message>
        <source>Detailed opinion (required for “revise and resubmit” and “disagree”)</source>
        <translation>具体审核意见（结论为“建议修改后再报”或“不同意”时必填）</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>审核意见</translation>
    </message>
</context>
<context>
    <name>WorkbenchModel</name>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Party · cause</source>
        <translation>当事人 · 案由</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>无期限</translation>
    </message>
    <message>
        <source>working day(s)</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <source>day(s)</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Overdue by %1 %2</source>
        <translation>已逾期 %1 %2</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>%1 %2 left</source>
        <translation>剩 %1 %2</translation>
    </message>
</context>
<context>
    <name>WorkbenchPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open the case register</source>
        <translation>打开案件登记</translation>
    </message>
    <message>
        <source>The workbench lists nothing for the role “%1” yet: your work is in the sections on the left.</source>
        <translation>工作台暂未为“%1”列出待办事项，您的工作在左侧各栏目中。</translation>
    </message>
    <message>
        <source>No case is waiting for your legal review. Cases your town submits for review will appear here, the nearest deadline first.</source>
        <translation>暂无待法制审核的案件。本街镇提交法制审核的案件会出现在这里，审核期限最近的排在最前。</translation>
    </message>
    <message>
        <source>See every review round</source>
        <translation>查看全部审核记录</translation>
    </message>
    <message>
        <source>Nothing needs you now. Cases nearing their decision deadline, clues to file, review results and referrals a department is late with will appear here.</source>
        <translation>眼下没有需要您处理的事项。临近决定期限的案件、待立案的线索、法制审核结果以及部门逾期未签收或未反馈的移送会出现在这里。</translation>
    </message>
    <message>
        <source>No case of yours has a deadline running. Cases you are named on will appear here as their decision or service deadlines run.</source>
        <translation>您承办的案件暂无进行中的期限。您作为承办人的案件在决定期限、送达期限计时时会出现在这里。</translation>
    </message>
    <message>
        <source>No document to print. Referral letters of referrals just submitted and legal review opinions of cases waiting for their decision will appear here.</source>
        <translation>暂无待打印的文书。刚提交的移送所需的移送函，以及待作出决定案件的法制审核意见书会出现在这里。</translation>
    </message>
    <message>
        <source>No referral is waiting for you. Referrals the towns send to your organisation appear here after a sync: sign for them, accept or return them, report the result.</source>
        <translation>暂无待办的移送。街镇移送给本单位的案件在同步后会出现在这里：签收、受理或退回、反馈处理结果。</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>No clue is waiting for a town. Clues you route to a town appear here until the town files them or decides not to.</source>
        <translation>没有等待镇街处理的线索。您分派给镇街的线索会列在这里，直到镇街立案或决定不予立案。</translation>
    </message>
    <message>
        <source>Nothing to do here now.</source>
        <translation>眼下没有待办事项。</translation>
    </message>
    <message>
        <source>My work · %1</source>
        <translation>我的工作台 · %1</translation>
    </message>
    <message>
        <source>(%1 overdue)</source>
        <translation>（逾期 %1）</translation>
    </message>
    <message>
        <source>(the %1 due first are listed)</source>
        <translation>（列出最先到期的 %1 项）</translation>
    </message>
</context>
<context>
    <name>_ServiceDialog</name>
    <message>
        <source>Not saved: %1.</source>
        <translation>未能保存：%1。</translation>
    </message>
</context>
</TS>
