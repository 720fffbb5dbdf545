# Hand-written equivalent of samples/django-vite.ship.
FROM node:20 AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM python:3.12 AS build
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH DJANGO_SETTINGS_MODULE=newsroom.settings PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=web /app/frontend/dist ./frontend/dist
COPY newsroom ./newsroom
COPY manage.py ./
RUN python manage.py collectstatic --noinput \
    && mkdir -p media && chown 65532:65532 media
USER 65532:65532
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "newsroom.wsgi"]
