// Draws the app's PNG icons (no image tools needed): the window/installer icon, the tray icon and the
// Windows taskbar overlay dot. Run once: node scripts/make-icons.mjs (outputs are committed).
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type), data])
  const sum = Buffer.alloc(4)
  sum.writeUInt32BE(crc(body))
  return Buffer.concat([len, body, sum])
}
function png(size, pixel) {
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4)
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}
const INDIGO = [77, 77, 198, 255]
const WHITE = [255, 255, 255, 255]
const CLEAR = [0, 0, 0, 0]
// A rounded square with a white paper plane (a triangle with a notch), like the sidebar's brand mark.
function mark(u, v) {
  const r = 0.22
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0)
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0)
  if (dx * dx + dy * dy > r * r) return CLEAR
  // Plane: the triangle (0.24,0.30) (0.78,0.50) (0.24,0.70) minus the notch towards (0.40,0.50).
  const inTri = u >= 0.24 && Math.abs(v - 0.5) <= 0.2 * (1 - (u - 0.24) / 0.54) + 1e-9
  const notch = u < 0.4 && Math.abs(v - 0.5) < (0.4 - u) * 0.9
  return inTri && !notch ? WHITE : INDIGO
}
const dot = (u, v) => ((u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.2 ? [220, 38, 38, 255] : CLEAR)
writeFileSync('resources/icons/icon.png', png(512, mark))
writeFileSync('resources/icons/tray.png', png(32, mark))
writeFileSync('resources/icons/badge.png', png(16, dot))
