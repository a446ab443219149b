{{/* The chart's name, or nameOverride. */}}
{{- define "nsscope.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects. */}}
{{- define "nsscope.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nsscope.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The labels every object carries. */}}
{{- define "nsscope.labels" -}}
helm.sh/chart: {{ include "nsscope.chart" . }}
{{ include "nsscope.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: node-agent
app.kubernetes.io/part-of: nsscope
{{- end }}

{{/* The labels the DaemonSet and Services select pods by. */}}
{{- define "nsscope.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nsscope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "nsscope.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nsscope.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the sandbox token. */}}
{{- define "nsscope.sandboxSecret" -}}
{{- default (printf "%s-sandbox" (include "nsscope.fullname" .)) .Values.sandbox.existingSecret }}
{{- end }}

{{/* Non-empty when the read API is closed by a token: from api.existingSecret or api.token. */}}
{{- define "nsscope.apiTokenSet" -}}
{{- if or .Values.api.existingSecret .Values.api.token }}true{{ end }}
{{- end }}

{{/* The Secret holding the API token. */}}
{{- define "nsscope.apiSecret" -}}
{{- default (printf "%s-api" (include "nsscope.fullname" .)) .Values.api.existingSecret }}
{{- end }}

{{/* The scrape authorization of the monitors, when the API token closes /actuator/prometheus. */}}
{{- define "nsscope.scrapeAuthorization" -}}
{{- if include "nsscope.apiTokenSet" . }}
authorization:
  type: Bearer
  credentials:
    name: {{ include "nsscope.apiSecret" . }}
    key: {{ .Values.api.secretKey }}
{{- end }}
{{- end }}
