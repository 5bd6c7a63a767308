// The shared basics (seeded generator, CRC-32, durations, the lock box) come with the data layer, so that
// `import MLData` alone is enough for a seeded split or shuffle.
@_exported import Support
