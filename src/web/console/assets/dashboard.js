// Draws the dashboard's charts from the figures the page carries in data-chart (no inline script: CSP).
(() => {
  var holder = document.getElementById('charts');
  if (!holder || typeof Chart === 'undefined') return;
  var data = JSON.parse(holder.getAttribute('data-chart'));
  var labels = data.days.map((d) => d.day.slice(5));
  var palette = ['#0b5cad', '#a4161a', '#1d6b2a', '#7a4a00'];
  new Chart(document.getElementById('chart-policies'), {
    type: 'bar',
    data: {
      labels: labels,
      datasets: [
        { label: 'Written', data: data.days.map((d) => d.written), backgroundColor: palette[0] },
        { label: 'Cancelled', data: data.days.map((d) => d.cancellations), backgroundColor: palette[1] },
      ],
    },
    options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById('chart-premium'), {
    type: 'line',
    data: {
      labels: labels,
      datasets: data.currencies.map((c, i) => ({
        label: c,
        data: data.days.map((d) => d.premium[c]),
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
      })),
    },
    options: { animation: false, scales: { y: { beginAtZero: true } } },
  });
})();
