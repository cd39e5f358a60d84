import { Group, Paper, Text, Title } from '@mantine/core';
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../DataTable';
import { alpha2ByAtlasName, alpha2ByNumeric } from './isoNumeric';

interface Bucket {
  key: string;
  count: number;
}

type CountryFeature = Feature<Geometry, { name: string }>;

const width = 960;
const height = 470;

// Natural Earth 1:110m countries (world-atlas 2.0), bundled in this lazily loaded chunk: no tile server, works offline.
const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const countries = (feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>).features;
const projection = geoEqualEarth().fitExtent(
  [
    [4, 4],
    [width - 4, height - 4],
  ],
  { type: 'Sphere' },
);
const path = geoPath(projection);
// Paths are computed once per page load; only their colours depend on the data.
const shapes = countries.map((f: CountryFeature) => ({
  alpha2: (f.id !== undefined ? alpha2ByNumeric[String(f.id)] : undefined) ?? alpha2ByAtlasName[f.properties.name] ?? null,
  d: path(f) ?? '',
}));
const outline = path({ type: 'Sphere' }) ?? '';

/** Five classes of a sequential blue scale (light to dark); no case is grey. */
const palette = ['#d6e6f4', '#a6c8e6', '#6aa3d2', '#3479b5', '#0f4c8a'];
const noCase = '#eceff3';

/** Class limits: quantiles of the countries' counts (at most five classes, each a distinct upper bound). */
function classes(counts: number[]): number[] {
  const sorted = [...counts].sort((a, b) => a - b);
  if (sorted.length === 0) {
    return [];
  }
  const limits = new Set<number>();
  for (let i = 1; i <= palette.length; i++) {
    limits.add(sorted[Math.min(sorted.length - 1, Math.ceil((i / palette.length) * sorted.length) - 1)]!);
  }
  return [...limits].sort((a, b) => a - b);
}

/** The world map of cases by country: SVG shapes shaded by count, a legend, and the figures as a table. */
export default function WorldMap({ byCountry }: { byCountry: Bucket[] }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const counts = useMemo(() => new Map(byCountry.map((b) => [b.key, b.count])), [byCountry]);
  const limits = useMemo(() => classes(byCountry.map((b) => b.count)), [byCountry]);
  const colour = (count: number | undefined) => {
    if (!count) {
      return noCase;
    }
    const index = limits.findIndex((limit) => count <= limit);
    // Spread the classes over the palette when there are fewer than five.
    const step = limits.length > 1 ? (palette.length - 1) / (limits.length - 1) : 0;
    return palette[Math.round((index < 0 ? limits.length - 1 : index) * step)] ?? palette[palette.length - 1]!;
  };
  const legend = limits.map((limit, i) => ({
    from: i === 0 ? 1 : limits[i - 1]! + 1,
    to: limit,
    fill: colour(limit),
  }));

  const rows = byCountry.map((b) => ({ key: b.key, label: format.country(b.key), value: b.count, formatted: format.number(b.count) }));

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="world-map-title" data-testid="world-map">
      <Title order={3} size="h5" id="world-map-title" mb="xs">
        {t('map.title')}
      </Title>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="world-map-title"
        aria-describedby="world-map-description"
        style={{ width: '100%', height: 'auto', display: 'block' }}
        data-map-ready="true"
      >
        <path d={outline} fill="#f8fafc" stroke="#cbd5e1" strokeWidth={0.5} />
        {shapes.map((shape, i) => {
          const count = shape.alpha2 ? counts.get(shape.alpha2) : undefined;
          return (
            <path
              key={i}
              d={shape.d}
              fill={colour(count)}
              stroke="#ffffff"
              strokeWidth={0.4}
              data-country={shape.alpha2 ?? undefined}
              data-count={count ?? 0}
            >
              {shape.alpha2 && <title>{`${format.country(shape.alpha2)}: ${format.number(count ?? 0)}`}</title>}
            </path>
          );
        })}
      </svg>
      <Text id="world-map-description" size="xs" c="dimmed" mt={4}>
        {t('map.description', { count: byCountry.length })}
      </Text>
      <Group gap="sm" mt="xs" aria-label={t('map.legend')} role="list" data-testid="world-map-legend">
        <Text size="xs" fw={600}>
          {t('map.legend')}
        </Text>
        <LegendItem fill={noCase} label={t('map.none')} />
        {legend.map((item) => (
          <LegendItem
            key={item.to}
            fill={item.fill}
            label={item.from === item.to ? format.number(item.to) : `${format.number(item.from)}–${format.number(item.to)}`}
          />
        ))}
      </Group>
      <DataTable
        id="world-map-data"
        caption={t('map.title')}
        keyHeader={t('charts.country')}
        valueHeader={t('charts.cases')}
        rows={rows}
      />
    </Paper>
  );
}

function LegendItem({ fill, label }: { fill: string; label: string }) {
  return (
    <Group gap={4} role="listitem" wrap="nowrap">
      <span aria-hidden="true" style={{ display: 'inline-block', width: 14, height: 14, background: fill, border: '1px solid #94a3b8' }} />
      <Text size="xs">{label}</Text>
    </Group>
  );
}
