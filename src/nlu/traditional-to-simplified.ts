// A small common set of traditional → simplified characters, chosen for what people write to a
// support desk (account, cancel, bind, verify, delete, data, service…). Not a full converter: a
// character missing here still reaches the model through the character n-grams of traditional phrases.
// A few Cantonese particles map to their Mandarin counterparts (唔 → 不, 咗 → 了) for the same reason.
const PAIRS =
  "帳账 賬账 號号 戶户 註注 銷销 刪删 資资 錄录 綁绑 銀银 認认 證证 實实 個个 體体 驗验 請请 問问 麼么 謝谢 幫帮 們们 " +
  "這这 說说 對对 還还 會会 沒没 為为 時时 後后 來来 裡里 見见 開开 關关 務务 錢钱 轉转 訊讯 電电 話话 碼码 郵邮 費费 " +
  "單单 據据 導导 載载 複复 製制 進进 處处 經经 過过 週周 無无 聯联 繫系 應应 該该 與与 給给 讓让 機机 構构 護护 隱隐 " +
  "權权 訂订 購购 買买 賣卖 價价 貨货 運运 發发 錯错 誤误 題题 舊旧 車车 門门 區区 東东 長长 書书 樂乐 學学 習习 聽听 " +
  "讀读 寫写 設设 備备 網网 頁页 雲云 記记 憶忆 專专 業业 員员 紀纪 檔档 條条 變变 確确 儲储 歷历 齊齐 態态 況况 邊边 " +
  "嗎吗 愛爱 總总 統统 計计 從从 衛卫 視视 齡龄 師师 歲岁 廳厅 閱阅 頻频 陸陆 臺台 灣湾 雖虽 離离 難难 隨随 囉啰 啟启 " +
  "動动 識识 別别 臉脸 冊册 撥拨 續续 須须 幣币 額额 託托 貼贴 優优 劃划 預预 約约 稅税 審审 歸归 遺遗 類类 團团 圖图 " +
  "盡尽 頭头 氣气 溫温 報报 熱热 鐘钟 線线 鏈链 結结 標标 籤签 層层 級级 兩两 嚴严 響响 產产 醫医 療疗 較较 檢检 闆板 " +
  "爾尔 擔担 憂忧 夠够 歡欢 謹谨 繳缴 簡简 準准 壞坏 罰罚 詢询 諮咨 徵征 鎖锁 凍冻 掛挂 補补 辦办 傳传 執执 親亲 萬万 " +
  "億亿 幾几 卻却 餘余 義义 蘋苹 裝装 術术 鍵键 顯显 頓顿 緊紧 閉闭 際际 隊队 陽阳 陰阴 筆笔 歷历 讚赞 壓压 據据 訴诉 " +
  "唔不 嘅的 咗了 係是 冇没 喺在 啲些 佢他 俾被 誠诚 懇恳 戲戏 場场 輸输 贏赢 換换 鑰钥 匙匙 拋抛 擾扰 騷骚 詐诈 騙骗 盜盗 竊窃 險险 於于 麼么 兒儿 媽妈 錶表 匯汇 滙汇 體体 慮虑 擇择 隻只 綫线";

const MAP: ReadonlyMap<string, string> = new Map(
  PAIRS.split(" ")
    .map((pair) => [...pair] as [string, string])
    .filter(([from, to]) => from !== to),
);

/** Replaces the traditional characters of the common set with their simplified forms. */
export function toSimplified(text: string): string {
  let out = "";
  for (const char of text) out += MAP.get(char) ?? char;
  return out;
}
